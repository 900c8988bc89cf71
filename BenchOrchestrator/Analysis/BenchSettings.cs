namespace FunctionsBench.BenchOrchestrator;

/// <summary>A validated benchmark request, with every default filled in. This is the <c>settings</c> of the results document.</summary>
/// <param name="Warmup">
/// Unrecorded invocations of each scenario before its first unit (StateFun: <see cref="Scenario.WarmupScale"/> times as
/// many logins); 0 in documents older than the field.
/// </param>
/// <param name="StateFunLabel">What serves <paramref name="StateFunUrl"/>, in the requester's words (e.g. "official JS SDK"); null when not said.</param>
/// <param name="Users">
/// The user loops in flight of a cart scenario's units, one unit per value (each loop makes its own user's operations one
/// at a time); null in documents older than the field and for runs without a cart scenario, which read as [1]. The
/// greeter's scenarios ignore it.
/// </param>
/// <param name="Cart">The cart workload's parameters (items, initial stock, key distribution, seed); null: the defaults.</param>
/// <param name="InvocationsByScenario">
/// Each scenario's own N, when the request gave them per scenario (the thesis ran StateFun and Durable Functions at
/// different N); null when every scenario runs at every N of <paramref name="Invocations"/>, which is then their union.
/// </param>
public sealed record BenchSettings(
    IReadOnlyList<string> Scenarios,
    IReadOnlyList<int> Invocations,
    int Repetitions,
    string Mode,
    int CheckpointEvery,
    int Parallelism,
    string StateFunUrl,
    string UserId,
    string UserName,
    int Warmup = 0,
    string? StateFunLabel = null,
    IReadOnlyDictionary<string, IReadOnlyList<int>>? InvocationsByScenario = null,
    IReadOnlyList<int>? Users = null,
    CartSettings? Cart = null)
{
    /// <summary>The user loops of a cart scenario's units: <see cref="Users"/>, or [1] when not given.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<int> UsersOrDefault => this.Users is { Count: > 0 } users ? users : [1];

    /// <summary>The user loops the units of <paramref name="scenario"/> run at: <see cref="UsersOrDefault"/> for a cart scenario, [1] for the greeter's.</summary>
    public IReadOnlyList<int> UsersOf(string scenario)
        => BenchOrchestrator.Scenarios.IsKnown(scenario) && BenchOrchestrator.Scenarios.Get(scenario).HasUsers ? this.UsersOrDefault : [1];

    /// <summary>The N that <paramref name="scenario"/> runs at.</summary>
    public IReadOnlyList<int> InvocationsOf(string scenario)
        => this.InvocationsByScenario is { } byScenario ? byScenario.GetValueOrDefault(scenario) ?? [] : this.Invocations;
}

/// <summary>What the control orchestration is started with: the settings and where it runs.</summary>
/// <param name="Storage">The storage account and provider settings; null in runs started before they were recorded.</param>
/// <param name="StateFunKey">
/// The function key for the StateFun endpoint, taken from a <c>code</c> query parameter of its URL (the default URL gets
/// the key the run was started with) and sent as the <c>x-functions-key</c> header; kept out of the settings and so
/// out of results.json.
/// </param>
/// <param name="Environment">The machine and the component versions the host runs; null when it says nothing about them.</param>
/// <param name="NoopUrl">The no-op endpoint of the host that runs the bench: the HTTP floor's target.</param>
/// <param name="HostKey">The key the run was started with, for the host's own endpoints (the no-op); null for none.</param>
/// <param name="StateFunOnThisHost">Whether <see cref="BenchSettings.StateFunUrl"/> is the greeter of the host that runs the bench.</param>
public sealed record BenchRun(
    string RunId,
    BenchSettings Settings,
    string Host,
    string StorageProvider,
    StorageSetup? Storage = null,
    string? StateFunKey = null,
    RunEnvironment? Environment = null,
    string? NoopUrl = null,
    string? HostKey = null,
    bool StateFunOnThisHost = true)
{
    /// <summary>What the statefun results came from: the endpoint and the runtime that drove it.</summary>
    public StateFunEndpoint DescribeStateFun() => new(
        this.Settings.StateFunUrl,
        this.StateFunOnThisHost ? StateFunEndpoint.ThisHost : StateFunEndpoint.External,
        this.Settings.StateFunLabel ?? (this.StateFunOnThisHost ? "the C# greeter of the host that ran the bench" : null),
        StateFunEndpoint.EmulatedRuntime);
}

/// <summary>Which StateFun endpoint the statefun scenario drove and what played the runtime (<c>stateFun</c> in the results).</summary>
/// <param name="Url">The endpoint (<c>{function.name}</c> stands for the function type's name).</param>
/// <param name="Kind"><see cref="ThisHost"/> or <see cref="External"/>.</param>
/// <param name="Label">What serves it, as the request said (or the host's greeter); null when not said.</param>
/// <param name="Runtime">What delivered the messages: the bench's driver, playing the StateFun runtime.</param>
public sealed record StateFunEndpoint(string Url, string Kind, string? Label, string Runtime)
{
    /// <summary>The greeter of the host that ran the bench.</summary>
    public const string ThisHost = "this-host";

    /// <summary>Any other StateFun endpoint (another process, an official SDK's greeter, a function behind a cluster's URL).</summary>
    public const string External = "external";

    /// <summary>
    /// The runtime of every statefun result: the bench's driver emulates the StateFun runtime in process (request-reply
    /// over HTTP, one message at a time per address, state kept by the driver); a Flink cluster adds its own messaging,
    /// state backend and checkpoints, measured by the cluster driver instead (StateFunGreeter/README.md).
    /// </summary>
    public const string EmulatedRuntime = "emulated by the bench's driver (no Flink cluster)";
}

/// <summary>One (scenario, N, repetition) of a run, and for a cart scenario its user loops: the unit results are reported for.</summary>
/// <param name="Users">User loops in flight (cart scenarios); 1 for the greeter's.</param>
public sealed record BenchUnit(string Scenario, int Invocations, int Repetition, int Users = 1)
{
    /// <summary>The repetition of a scenario's unrecorded warm-up unit; measured units count from 1.</summary>
    public const int WarmupRepetition = 0;

    /// <summary>Whether this is a warm-up unit, whose invocations are made but not recorded or reported.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsWarmup => IsWarmupRepetition(this.Repetition);

    /// <summary>Whether <paramref name="repetition"/> is a warm-up's.</summary>
    public static bool IsWarmupRepetition(int repetition) => repetition == WarmupRepetition;

    /// <summary>The warm-up unit of <paramref name="scenario"/> with <paramref name="invocations"/> invocations.</summary>
    public static BenchUnit WarmUp(string scenario, int invocations) => new(scenario, invocations, WarmupRepetition);
}

/// <summary>The order in which a run takes its units, and how a unit is cut into orchestrations.</summary>
public static class BenchPlan
{
    /// <summary>
    /// Timing records per timings entity: an entity's whole state is rewritten by every batch, so chunks keep that cost
    /// bounded.
    /// </summary>
    public const int TimingsChunkSize = 1000;

    /// <summary>
    /// Most logins per StateFun driver activity call, a whole number of timings chunks. Every activity boundary is a
    /// round trip through the task hub's queues, and while the activity runs the provider's idle control-queue poller
    /// backs off, so the next step waited 25-420 ms: with calls of 1000 logins, 20 boundaries took half of a
    /// 20,000-login unit's time, which StateFun's runtime does not spend. A crash costs at most one call.
    /// </summary>
    public const int StateFunSegmentLogins = 25 * TimingsChunkSize;

    /// <summary>
    /// The segments of a unit of <paramref name="invocations"/> of <paramref name="scenario"/>, as (first sequence, count):
    /// the scenario's own <see cref="Scenario.SegmentSize"/> when it fixes one (StateFun <see cref="StateFunSegmentLogins"/>),
    /// else <c>checkpointEvery</c> at a time in checkpointed mode, all at once in single mode.
    /// </summary>
    public static IReadOnlyList<(int First, int Count)> Segments(BenchSettings settings, Scenario scenario, int invocations)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(scenario);
        int size = scenario.SegmentSize ?? (settings.Mode == BenchModes.Single ? invocations : settings.CheckpointEvery);
        var segments = new List<(int, int)>((invocations + size - 1) / size);
        for (int first = 0; first < invocations; first += size)
        {
            segments.Add((first, Math.Min(size, invocations - first)));
        }

        return segments;
    }

    /// <summary>
    /// The unrecorded warm-up units (repetition 0) that run before the first measured unit (a cart scenario's at its most
    /// user loops): <c>warmup</c> invocations of each Durable Functions scenario and <see cref="Scenario.WarmupScale"/> times as many StateFun logins. A fresh host
    /// runs its first few hundred invocations at about 1.6 times the steady latency while its code is compiled and
    /// optimised; a StateFun cluster is a warm JVM too.
    /// </summary>
    public static IReadOnlyList<BenchUnit> WarmUps(BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return [.. settings.Scenarios
            .Select(name => Scenarios.Get(name).WarmUp(settings.Warmup) is { } warmUp ? warmUp with { Users = settings.UsersOf(name).Max() } : null)
            .OfType<BenchUnit>()];
    }

    /// <summary>
    /// Every unit of a run: for each N, for each repetition, every scenario in turn (a cart scenario once per value of
    /// <c>users</c>). Interleaving the scenarios at the
    /// same N keeps drift of the machine (Azurite's growing tables, other load) from favouring one scenario.
    /// </summary>
    public static IReadOnlyList<BenchUnit> Units(BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var units = new List<BenchUnit>();
        foreach (int n in settings.Invocations)
        {
            for (int repetition = 1; repetition <= settings.Repetitions; repetition++)
            {
                foreach (string scenario in settings.Scenarios.Where(s => settings.InvocationsOf(s).Contains(n)))
                {
                    foreach (int users in settings.UsersOf(scenario))
                    {
                        units.Add(new BenchUnit(scenario, n, repetition, users));
                    }
                }
            }
        }

        return units;
    }

    /// <summary>Total invocations over all units.</summary>
    public static long TotalInvocations(BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Scenarios.Sum(s => settings.InvocationsOf(s).Sum(n => (long)n) * settings.UsersOf(s).Count) * settings.Repetitions;
    }
}

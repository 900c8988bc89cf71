using FunctionsBench.BenchOrchestrator.History;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>The floor a scenario's efficiency is measured against.</summary>
public enum FloorKind
{
    /// <summary>The storage floor: sequential steps of the Azure Storage provider's minimal operations.</summary>
    Storage,

    /// <summary>The HTTP floor: sequential StateFun-sized POSTs to a no-op endpoint.</summary>
    Http,
}

/// <summary>
/// One benchmark scenario's facts: everything the run plan, the results and the analysis need to know about it. Each
/// scenario declares its own in its folder under <c>BenchOrchestrator/Scenarios/</c> (the <c>*.Scenario.cs</c> file);
/// how it is invoked lives beside it in its <c>*.Invocation.cs</c> file (durable code).
/// </summary>
/// <param name="Name">The name in requests and results.</param>
/// <param name="Callee">
/// The durable function one invocation calls (the activity, orchestration or entity; the driver's activity for StateFun).
/// Its History rule matches rows by it; the scenario's invocation calls the function by <c>nameof</c>, and the registry of
/// invocations refuses to start when the two differ.
/// </param>
/// <param name="EventsPerInvocation">
/// Events per invocation for formula 4.1: History rows of one loop iteration for the Durable Functions scenarios
/// (measured in the task hub's History table, and checked there by every <c>./bench run</c>), one message for StateFun
/// (as the thesis counts it).
/// </param>
/// <param name="Floor">The floor its efficiency is measured against.</param>
/// <param name="StepsPerInvocation">Floor steps one invocation needs at minimum (see <see cref="Floors.FloorEfficiency"/>).</param>
/// <param name="Summary">One line on what one invocation is.</param>
public sealed record Scenario(string Name, string Callee, int EventsPerInvocation, FloorKind Floor, int StepsPerInvocation, string Summary)
{
    /// <summary>Warm-up invocations per <c>warmup</c> of the request (a StateFun login costs a fraction of a Durable Functions invocation).</summary>
    public int WarmupScale { get; init; } = 1;

    /// <summary>Whether it runs on Durable Functions (and so leaves History rows); false for a scenario a driver activity plays against another system.</summary>
    public bool IsDurable { get; init; } = true;

    /// <summary>
    /// How its invocations are found in the History table, for the History cross-check; null when it writes no History of
    /// its own to match (StateFun).
    /// </summary>
    public HistoryRule? History { get; init; }

    /// <summary>
    /// Invocations per segment when the scenario fixes it (a driver activity's call); null for the run's mode
    /// (<c>checkpointEvery</c> in checkpointed mode, the whole unit in single mode).
    /// </summary>
    public int? SegmentSize { get; init; }

    /// <summary>Whether its units run at each value of the request's <c>users</c> (the cart scenarios); the others run at 1.</summary>
    public bool HasUsers { get; init; }

    /// <summary>The colour and marker of its series on every chart; null for a neutral grey.</summary>
    public Report.Svg.SeriesStyle? Style { get; init; }

    /// <summary>The unrecorded warm-up unit this scenario runs for a request's <c>warmup</c>; null when the request asks for none.</summary>
    public BenchUnit? WarmUp(int warmup) => warmup <= 0 ? null : BenchUnit.WarmUp(this.Name, warmup * this.WarmupScale);
}

/// <summary>The benchmark's scenarios: the registry every other part reads. Adding a scenario is a folder plus one line in <see cref="All"/>.</summary>
public static class Scenarios
{
    /// <summary>The thesis' Durable Functions test case (<see cref="DfActivityScenario"/>).</summary>
    public const string DfActivity = DfActivityScenario.Name;

    /// <summary>The greeter orchestration as a sub-orchestration (<see cref="DfSubOrchestrationScenario"/>).</summary>
    public const string DfSubOrchestration = DfSubOrchestrationScenario.Name;

    /// <summary>The greeter entity (<see cref="DfEntityScenario"/>).</summary>
    public const string DfEntity = DfEntityScenario.Name;

    /// <summary>The StateFun greeter driven by the bench playing the runtime (<see cref="StateFunScenario"/>).</summary>
    public const string StateFun = StateFunScenario.Name;

    /// <summary>The shopping cart on Durable Functions (<see cref="CartDfScenario"/>).</summary>
    public const string CartDf = CartDfScenario.Name;

    /// <summary>Every scenario, in the order a run takes them: the registration of each scenario folder.</summary>
    public static IReadOnlyList<Scenario> All { get; } =
    [
        DfActivityScenario.Descriptor,
        DfSubOrchestrationScenario.Descriptor,
        DfEntityScenario.Descriptor,
        StateFunScenario.Descriptor,
        CartDfScenario.Descriptor,
        CartStateFunScenario.Descriptor,
    ];

    /// <summary>The scenarios a request without <c>scenarios</c> runs: the greeter's four.</summary>
    public static IReadOnlyList<string> Defaults { get; } = [DfActivity, DfSubOrchestration, DfEntity, StateFun];

    /// <summary>The names of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(s => s.Name)];

    /// <summary>Whether <paramref name="name"/> is a scenario.</summary>
    public static bool IsKnown(string name) => All.Any(s => s.Name == name);

    /// <summary>Whether <paramref name="name"/> is a scenario whose units run at each number of users (the cart's).</summary>
    public static bool HasUsers(string name) => All.Any(s => s.Name == name && s.HasUsers);

    /// <summary>The scenario named <paramref name="name"/>.</summary>
    public static Scenario Get(string name)
        => All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentOutOfRangeException(nameof(name), name, $"Unknown scenario; the scenarios are {string.Join(", ", Names)}.");
}

/// <summary>How the control orchestration keeps its history.</summary>
public static class BenchModes
{
    /// <summary>One orchestration history per (scenario, N, repetition) that grows with N, as the thesis ran it.</summary>
    public const string Single = "single";

    /// <summary>A fresh orchestration every <c>checkpointEvery</c> invocations, so each history stays bounded.</summary>
    public const string Checkpointed = "checkpointed";

    /// <summary>Both modes.</summary>
    public static IReadOnlyList<string> All { get; } = [Single, Checkpointed];
}

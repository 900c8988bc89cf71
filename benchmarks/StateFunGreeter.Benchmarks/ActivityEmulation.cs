using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsBench.StateFun.Benchmarks;

/// <summary>
/// The bench's <c>statefun</c> driver activity (<c>BenchOrchestrator/StateFunLogins.cs</c>) without Durable Functions:
/// the runtime state arrives and leaves as a <see cref="JsonElement"/> in the bench's JSON options, the logins become
/// timing records, and the output is serialized as the Durable Task data converter serializes an activity's result.
/// A unit is a sequence of such chunks of <see cref="ChunkSize"/> logins, the state carried from one to the next.
/// </summary>
/// <remarks>
/// This project cannot reference the Functions app, so the few lines of the activity are repeated here; keep them in
/// step with <c>StateFunLogins.ExecuteAsync</c> and <c>BenchJson.Options</c>.
/// </remarks>
/// <param name="driver">The driver the activity runs.</param>
/// <param name="compactTimings">
/// Whether the activity returns <see cref="StateFunTimings"/> (what the bench does, true) or one record per login (the
/// form it replaced, false).
/// </param>
internal sealed class ActivityEmulation(StateFunDriver driver, bool compactTimings = true)
{
    /// <summary>
    /// Logins per emulated activity call. The bench's calls are <c>BenchPlan.StateFunSegmentLogins</c> (25,000) long; here they
    /// are 1000, so that a benchmark interleaving the greeter with the floor call by call takes turns of about 0.1 s and
    /// both sides see the same moments of a shared machine. A call's own work (the state as JSON in and out, the timings
    /// serialized) is a few microseconds per 1000 logins, so the cost per login is the same within the noise.
    /// </summary>
    public const int ChunkSize = 1000;

    /// <summary>Logins per warm-up unit of the benchmarks that drive the greeter through this emulation.</summary>
    public const int WarmupLogins = 2_000;

    /// <summary>How long those benchmarks warm up before they measure.</summary>
    public static readonly TimeSpan WarmupTime = TimeSpan.FromSeconds(5);

    private readonly bool compactTimings = compactTimings;

    // BenchJson.Options: web defaults, nothing ignored, strict numbers.
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>Runs one unit of <paramref name="logins"/> logins from sequence 0, as the control orchestration schedules it.</summary>
    public async Task<UnitRun> RunUnitAsync(Uri endpoint, string userId, string userName, int logins, CancellationToken cancellationToken = default)
    {
        var unit = StartUnit(endpoint, userId, userName, logins);
        while (!unit.Done)
        {
            await unit.NextChunkAsync(cancellationToken).ConfigureAwait(false);
        }

        return unit.Result;
    }

    /// <summary>A unit to run one chunk at a time, so that a benchmark can interleave other work between chunks.</summary>
    public Unit StartUnit(Uri endpoint, string userId, string userName, int logins) => new(this, endpoint, userId, userName, logins);

    /// <summary>
    /// One unit in progress. Its time is the sum of its chunks' times, each a whole emulated activity call (JSON in,
    /// logins, records, JSON out); its allocations and collections are counted over the chunks alone.
    /// </summary>
    internal sealed class Unit(ActivityEmulation emulation, Uri endpoint, string userId, string userName, int logins)
    {
        private readonly List<TimingRecord> records = new(logins);
        private JsonElement? state;
        private int next;
        private long outputBytes;
        private long compactBytes;
        private long ticks;
        private long allocated;
        private int gen0;
        private int gen1;
        private int gen2;

        public bool Done => next >= logins;

        public UnitRun Result => new(records, outputBytes, compactBytes, TimeSpan.FromSeconds(ticks / (double)Stopwatch.Frequency), allocated, gen0, gen1, gen2);

        public async Task NextChunkAsync(CancellationToken cancellationToken = default)
        {
            var count = Math.Min(ChunkSize, logins - next);
            var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var started = Stopwatch.GetTimestamp();
            var output = await emulation.RunChunkAsync(endpoint, userId, userName, next, count, state, cancellationToken).ConfigureAwait(false);

            // What the worker does with an activity's result before the orchestration sees it.
            outputBytes += emulation.compactTimings
                ? JsonSerializer.SerializeToUtf8Bytes(new CompactOutput(output.Timings!, output.RuntimeState), Options).Length
                : JsonSerializer.SerializeToUtf8Bytes(output, Options).Length;
            ticks += Stopwatch.GetTimestamp() - started;
            allocated += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            (gen0, gen1, gen2) = (gen0 + GC.CollectionCount(0) - g0, gen1 + GC.CollectionCount(1) - g1, gen2 + GC.CollectionCount(2) - g2);

            // What the same result would weigh with the driver's compact timings instead of the records.
            compactBytes += JsonSerializer.SerializeToUtf8Bytes(new CompactOutput(output.Timings!, output.RuntimeState), Options).Length;
            records.AddRange(output.Records);
            state = output.RuntimeState;
            next += count;
        }
    }

    private async Task<LoginsOutput> RunChunkAsync(
        Uri endpoint, string userId, string userName, int firstSequence, int count, JsonElement? runtimeState, CancellationToken cancellationToken)
    {
        StateFunRuntimeState state = runtimeState is { } json
            ? json.Deserialize<StateFunRuntimeState>(Options) ?? new StateFunRuntimeState()
            : new StateFunRuntimeState();
        var request = new StateFunChunkRequest(endpoint, userId, userName, firstSequence, count, state);
        var result = await driver.RunChunkAsync(request, cancellationToken).ConfigureAwait(false);
        var records = result.Logins.Select(l => new TimingRecord(l.Sequence, l.StartUtc, l.EndUtc)).ToList();
        return new LoginsOutput(records, JsonSerializer.SerializeToElement(result.State, Options)) { Timings = StateFunTimings.Of(result.Logins) };
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>The output with compact timings in place of the records.</summary>
    private sealed record CompactOutput(StateFunTimings Timings, JsonElement RuntimeState);

    /// <summary>The bench's <c>StateFunLoginsOutput</c>.</summary>
    private sealed record LoginsOutput(IReadOnlyList<TimingRecord> Records, JsonElement RuntimeState)
    {
        // Not part of the bench's output: kept only to weigh the compact alternative.
        [JsonIgnore]
        public StateFunTimings? Timings { get; init; }
    }
}

/// <summary>The bench's <c>TimingRecord</c>: one login's sequence and wall-clock span.</summary>
internal sealed record TimingRecord(int Sequence, DateTime Start, DateTime End)
{
    public double LatencyMs => (End - Start).TotalMilliseconds;
}

/// <summary>A unit's records, time, allocations and activity output.</summary>
/// <param name="Records">The unit's timing records, in order.</param>
/// <param name="OutputBytes">The activity results' JSON, all chunks.</param>
/// <param name="CompactOutputBytes">The same with <see cref="StateFunTimings"/> instead of the records.</param>
/// <param name="Time">The chunks' time together; what the unit's span would be with nothing between its chunks.</param>
/// <param name="Allocated">Bytes allocated by the whole process during the chunks.</param>
internal sealed record UnitRun(
    IReadOnlyList<TimingRecord> Records, long OutputBytes, long CompactOutputBytes, TimeSpan Time, long Allocated, int Gen0, int Gen1, int Gen2)
{
    public double LoginsPerSecond => Records.Count / Time.TotalSeconds;
}

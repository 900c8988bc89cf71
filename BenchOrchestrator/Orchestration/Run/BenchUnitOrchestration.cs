using FunctionsBench.BenchOrchestrator.Floors;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// One (scenario, N, repetition), as its scenario's <see cref="ScenarioInvocation"/> says: its setup, its invocations in
/// segments (one segment orchestration each, or for StateFun one driver activity call per
/// <see cref="BenchPlan.StateFunSegmentLogins"/> logins), then the checks only the end can make and the result from the recorded timings.
/// </summary>
/// <remarks>
/// In <c>checkpointed</c> mode a segment holds <c>checkpointEvery</c> invocations, so every orchestration history stays
/// bounded and none is overwritten (each segment is an instance of its own, which the History cross-check reads); in
/// <c>single</c> mode the unit is one segment whose history grows with N, as in the thesis.
/// </remarks>
public sealed class BenchUnitOrchestration : TaskOrchestrator<UnitInput, ScenarioResult?>
{
    /// <summary>How often the unit re-reads its chunk summaries when fewer than N records have arrived yet.</summary>
    private const int SummaryAttempts = 10;

    /// <summary>Functions trigger.</summary>
    [Function(nameof(BenchUnitOrchestration))]
    public static Task<ScenarioResult?> Run([OrchestrationTrigger] TaskOrchestrationContext context)
        => new BenchUnitOrchestration().RunAsync(context, context.GetInput<UnitInput>() ?? throw new InvalidOperationException("A unit orchestration needs its input."));

    /// <inheritdoc/>
    public override async Task<ScenarioResult?> RunAsync(TaskOrchestrationContext context, UnitInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        (BenchRun run, BenchUnit unit) = (input.Run, input.Unit);
        Scenario scenario = Scenarios.Get(unit.Scenario);
        ScenarioInvocation invocation = ScenarioInvocations.Get(unit.Scenario);
        var scope = new UnitScope(context, run, unit);
        DateTime? start = null;
        DateTime end = default;
        SegmentResult? previous = null;
        var segmentResults = new List<SegmentResult>();
        HttpFloorInTurns? floorInTurns = null;
        int done = 0;
        context.SetCustomStatus(new UnitProgress(0, unit.Invocations));
        await invocation.PrepareAsync(scope);
        bool floorBefore = input.Recorded && invocation.FloorBeforeUnit;
        BenchFloors? unitFloors = floorBefore ? await MeasureUnitFloorAsync(context, run, scenario) : null;
        IReadOnlyList<(int First, int Count)> segments = BenchPlan.Segments(run.Settings, scenario, unit.Invocations);
        for (int k = 0; k < segments.Count; k++)
        {
            (int first, int count) = segments[k];
            SegmentResult segment = await invocation.RunSegmentAsync(scope, new UnitSegment(k, first, count), previous);
            start ??= segment.Start;
            end = segment.End;
            previous = segment;
            segmentResults.Add(segment);
            floorInTurns = HttpFloorInTurns.Merge(floorInTurns, segment.Floor);
            done += count;
            context.SetCustomStatus(new UnitProgress(done, unit.Invocations));
        }

        // The checks only the end of a unit can show (df-entity: the greeter entity saw exactly N logins).
        IReadOnlyList<InvariantResult> invariants = await invocation.VerifyAsync(scope, segmentResults);
        InvariantResult.ThrowIfBroken(invariants);
        if (!input.Recorded)
        {
            return null;
        }

        IReadOnlyList<double> latencies = await ReadLatenciesAsync(context, run.RunId, unit);
        ScenarioResult result = ScenarioResult.From(unit, start ?? throw new InvalidOperationException($"Unit {unit} made no invocation."), end, latencies, input.Floors, unitFloors, floorInTurns)
            with { Users = unit.Users, Invariants = invariants.Count == 0 ? null : invariants };
        return await invocation.CompleteResultAsync(scope, result, segmentResults);
    }

    /// <summary>
    /// The unit's own floor, measured just before its first invocation. A floor it cannot measure comes back null with the
    /// reason, and the result then takes the run's start floor (its <c>floorSource</c> says which).
    /// </summary>
    private static Task<BenchFloors> MeasureUnitFloorAsync(TaskOrchestrationContext context, BenchRun run, Scenario scenario)
        => context.CallActivityAsync<BenchFloors>(
            nameof(MeasureFloors), new MeasureFloorsInput(run.NoopUrl, run.Settings.UserId, run.Settings.UserName, run.HostKey, scenario.Floor));

    /// <summary>
    /// Reads every chunk's latencies. The segments' signals are normally processed before this call, but their order
    /// relative to it is not guaranteed, so a short count is re-read after a pause before the result reports what
    /// actually arrived.
    /// </summary>
    private static async Task<IReadOnlyList<double>> ReadLatenciesAsync(TaskOrchestrationContext context, string runId, BenchUnit unit)
    {
        for (int attempt = 1; ; attempt++)
        {
            IEnumerable<Task<ChunkSummary>> reads = Enumerable.Range(0, TimingsChunk.CountFor(unit.Invocations))
                .Select(chunk => context.Entities.CallEntityAsync<ChunkSummary>(TimingsChunk.IdFor(runId, unit, chunk), nameof(TimingsEntity.Summary)));
            ChunkSummary[] summaries = await Task.WhenAll(reads);
            if (summaries.Sum(s => s.Recorded) >= unit.Invocations || attempt == SummaryAttempts)
            {
                return summaries.SelectMany(s => s.LatenciesMs).ToList();
            }

            await context.CreateTimer(TimeSpan.FromSeconds(1), CancellationToken.None);
        }
    }
}

using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.GreeterFunctions;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// One (scenario, N, repetition): its invocations in segments, one segment orchestration each (StateFun: one driver
/// activity call per <see cref="BenchPlan.StateFunSegmentLogins"/> logins), then the checks only the end can make and the result from the recorded timings.
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
        if (scenario.Invocation == InvocationKind.CartEntities)
        {
            return await CartDfUnit.RunAsync(context, input);
        }

        DateTime? start = null;
        DateTime end = default;
        JsonElement? stateFun = null;
        HttpFloorInTurns? floorInTurns = null;
        int done = 0;
        context.SetCustomStatus(new UnitProgress(0, unit.Invocations));
        // A statefun unit measures its HTTP floor in turns with its logins, inside the driver activity.
        bool floorBefore = input.Recorded && scenario.Invocation != InvocationKind.StateFunDriver;
        BenchFloors? unitFloors = floorBefore ? await MeasureUnitFloorAsync(context, run, scenario) : null;
        IReadOnlyList<(int First, int Count)> segments = BenchPlan.Segments(run.Settings, scenario, unit.Invocations);
        for (int k = 0; k < segments.Count; k++)
        {
            (int first, int count) = segments[k];
            SegmentResult segment;
            if (scenario.Invocation == InvocationKind.StateFunDriver)
            {
                segment = await StateFunSegment.RunAsync(context, run, unit, first, count, stateFun, input.Recorded);
            }
            else
            {
                string segmentId = InstanceIds.Segment(run.RunId, unit, k);
                context.SetCustomStatus(new UnitProgress(done, unit.Invocations, segmentId));
                segment = await context.CallSubOrchestratorAsync<SegmentResult>(
                    nameof(BenchSegmentOrchestration), new SegmentInput(run, unit, first, count), new SubOrchestrationOptions { InstanceId = segmentId });
            }

            start ??= segment.Start;
            end = segment.End;
            stateFun = segment.StateFunState;
            floorInTurns = HttpFloorInTurns.Merge(floorInTurns, segment.Floor);
            done += count;
            context.SetCustomStatus(new UnitProgress(done, unit.Invocations));
        }

        await VerifyFinalStateAsync(context, run, unit, scenario);
        if (!input.Recorded)
        {
            return null;
        }

        IReadOnlyList<double> latencies = await ReadLatenciesAsync(context, run.RunId, unit);
        return ScenarioResult.From(unit, start ?? throw new InvalidOperationException($"Unit {unit} made no invocation."), end, latencies, input.Floors, unitFloors, floorInTurns);
    }

    /// <summary>
    /// The unit's own floor, measured just before its first invocation. A floor it cannot measure comes back null with the
    /// reason, and the result then takes the run's start floor (its <c>floorSource</c> says which).
    /// </summary>
    private static Task<BenchFloors> MeasureUnitFloorAsync(TaskOrchestrationContext context, BenchRun run, Scenario scenario)
        => context.CallActivityAsync<BenchFloors>(
            nameof(MeasureFloors), new MeasureFloorsInput(run.NoopUrl, run.Settings.UserId, run.Settings.UserName, run.HostKey, scenario.Floor));

    /// <summary>Checks state that only the end of a unit can show: the greeter entity saw exactly N logins.</summary>
    private static async Task VerifyFinalStateAsync(TaskOrchestrationContext context, BenchRun run, BenchUnit unit, Scenario scenario)
    {
        if (scenario.Invocation == InvocationKind.Entity)
        {
            GreeterState final = await context.Entities.CallEntityAsync<GreeterState>(ScenarioInvoker.GreeterId(run, unit), nameof(GreeterEntity.Get));
            if (final.SeenCount != unit.Invocations)
            {
                throw new InvalidOperationException($"The greeter entity counted {final.SeenCount} logins; {unit.Invocations} were made.");
            }
        }
    }

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

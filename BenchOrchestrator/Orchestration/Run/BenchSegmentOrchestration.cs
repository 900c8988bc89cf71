namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// A run of consecutive invocations of one Durable Functions unit: one after another (or <c>parallelism</c> at a time),
/// each timed with the orchestration clock and checked, the records sent to the timings entities every
/// <c>checkpointEvery</c> invocations (in both modes, so recording costs the same in both).
/// </summary>
public sealed class BenchSegmentOrchestration : TaskOrchestrator<SegmentInput, SegmentResult>
{
    /// <summary>Functions trigger.</summary>
    [Function(nameof(BenchSegmentOrchestration))]
    public static Task<SegmentResult> Run([OrchestrationTrigger] TaskOrchestrationContext context)
        => new BenchSegmentOrchestration().RunAsync(context, context.GetInput<SegmentInput>() ?? throw new InvalidOperationException("A segment orchestration needs its input."));

    /// <inheritdoc/>
    public override async Task<SegmentResult> RunAsync(TaskOrchestrationContext context, SegmentInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        BenchSettings settings = input.Run.Settings;
        var unit = new UnitScope(context, input.Run, input.Unit);
        bool recorded = unit.Recorded;
        ScenarioInvocation invocation = ScenarioInvocations.Get(input.Unit.Scenario);
        var pending = new List<TimingRecord>(Math.Min(input.Count, settings.CheckpointEvery));
        DateTime? start = null;
        DateTime end = default;
        for (int offset = 0; offset < input.Count; offset += settings.Parallelism)
        {
            int batch = Math.Min(settings.Parallelism, input.Count - offset);
            TimingRecord[] records = await Task.WhenAll(Enumerable.Range(input.First + offset, batch).Select(sequence => invocation.InvokeAsync(unit, sequence)));
            start ??= records.Min(r => r.Start);
            end = records.Max(r => r.End);
            int made = offset + batch;
            if (recorded)
            {
                pending.AddRange(records);
                if (pending.Count >= settings.CheckpointEvery || made == input.Count)
                {
                    await TimingsChunk.RecordAsync(context, input.Run.RunId, input.Unit, pending);
                    pending.Clear();
                }
            }

            if (made % settings.CheckpointEvery < batch)
            {
                // Written with the episode's own checkpoint: it costs no storage request of its own.
                context.SetCustomStatus(new UnitProgress(input.First + made, input.Unit.Invocations));
            }
        }

        return new SegmentResult(start ?? throw new InvalidOperationException("A segment of no invocations."), end);
    }
}

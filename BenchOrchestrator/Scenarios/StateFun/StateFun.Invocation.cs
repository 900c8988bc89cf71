namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// <c>statefun</c>'s durable part: each segment is one call of the driver activity <see cref="StateFunLogins"/>, which
/// plays the StateFun runtime for the segment's logins (and measures the HTTP floor in turns with them), the runtime's
/// state carried from segment to segment; its records go to the timings entities chunk by chunk.
/// </summary>
public sealed class StateFunInvocation : ScenarioInvocation
{
    /// <inheritdoc/>
    public override Scenario Scenario => StateFunScenario.Descriptor;

    /// <inheritdoc/>
    public override string Callee => nameof(StateFunLogins);

    /// <summary>A statefun unit measures its HTTP floor in turns with its logins, inside the driver activity.</summary>
    public override bool FloorBeforeUnit => false;

    /// <summary>
    /// Logins <c>first</c> .. first + count - 1, continuing from the previous segment's runtime state; their records go to
    /// the timings entities when the unit is recorded. The StateFun runtime delivers one message at a time per address,
    /// and so does the driver.
    /// </summary>
    public override async Task<SegmentResult> RunSegmentAsync(UnitScope unit, UnitSegment segment, SegmentResult? previous)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(segment);
        (TaskOrchestrationContext context, BenchRun run) = (unit.Context, unit.Run);
        (int first, int count) = (segment.First, segment.Count);
        BenchSettings settings = run.Settings;
        // Every unit measures its HTTP floor in turns with its logins: the warm-up unit too, so that the floor's code is
        // compiled before the first recorded unit (its floor is not used).
        StateFunLoginsOutput output = await context.CallActivityAsync<StateFunLoginsOutput>(
            nameof(StateFunLogins), new StateFunLoginsInput(
                settings.StateFunUrl, settings.UserId, settings.UserName, first, count, previous?.StateFunState, run.StateFunKey, run.NoopUrl, run.HostKey));
        List<TimingRecord> records = [.. output.Timings.Records().Select(r => new TimingRecord(r.Sequence, r.StartUtc, r.EndUtc))];
        if (records.Count != count || records[0].Sequence != first)
        {
            throw new InvalidOperationException($"The StateFun driver returned {records.Count} records from sequence {records.FirstOrDefault()?.Sequence} for sequences {first}..{first + count - 1}.");
        }

        if (unit.Recorded)
        {
            await TimingsChunk.RecordAsync(context, run.RunId, unit.Unit, records);
        }

        return new SegmentResult(records[0].Start, records[^1].End, output.RuntimeState, output.Floor);
    }
}

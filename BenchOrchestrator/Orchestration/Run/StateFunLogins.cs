using FunctionsBench.StateFun;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>One segment of StateFun logins: where the greeter is, who logs in, which sequences, and the runtime's state so far.</summary>
/// <param name="RuntimeState">The emulated runtime's state (registered states, stored values) from the previous segment; null to start empty.</param>
/// <param name="FunctionKey">The endpoint's function key (the <c>x-functions-key</c> header); null for none.</param>
public sealed record StateFunLoginsInput(string Url, string UserId, string UserName, int FirstSequence, int Count, JsonElement? RuntimeState, string? FunctionKey = null);

/// <summary>The timed logins of a segment (in the compact form, about 10 KiB per 1000 logins) and the runtime's state after them.</summary>
public sealed record StateFunLoginsOutput(StateFunTimings Timings, JsonElement RuntimeState);

/// <summary>
/// The <c>statefun</c> scenario's driver activity: plays the StateFun runtime for one segment of logins (at most
/// <see cref="BenchPlan.StateFunSegmentLogins"/>) against a remote greeter. The orchestration carries the runtime's state
/// from segment to segment, so a crash costs at most one segment.
/// </summary>
public sealed class StateFunLogins(StateFunDriver driver) : DurableActivity<StateFunLoginsInput, StateFunLoginsOutput>
{
    /// <summary>Functions trigger.</summary>
    [Function(nameof(StateFunLogins))]
    public Task<StateFunLoginsOutput> Run([ActivityTrigger] StateFunLoginsInput input, CancellationToken cancellationToken)
        => this.ExecuteAsync(input, cancellationToken);

    /// <inheritdoc/>
    public override async Task<StateFunLoginsOutput> ExecuteAsync(StateFunLoginsInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        StateFunRuntimeState state = input.RuntimeState is { } json
            ? json.Deserialize<StateFunRuntimeState>(BenchJson.Options) ?? new StateFunRuntimeState()
            : new StateFunRuntimeState();
        var request = new StateFunChunkRequest(new Uri(input.Url), input.UserId, input.UserName, input.FirstSequence, input.Count, state, input.FunctionKey);
        StateFunChunkResult result = await driver.RunChunkAsync(request, cancellationToken);
        return new StateFunLoginsOutput(StateFunTimings.Of(result.Logins), JsonSerializer.SerializeToElement(result.State, BenchJson.Options));
    }
}

/// <summary>A unit orchestration's step for the statefun scenario: one driver activity call for one segment of logins, recorded chunk by chunk.</summary>
internal static class StateFunSegment
{
    /// <summary>
    /// Logins <paramref name="first"/> .. first + count - 1, continuing from <paramref name="state"/>; their records go to the
    /// timings entity when <paramref name="recorded"/>. The StateFun runtime delivers one message at a time per address,
    /// and so does the driver.
    /// </summary>
    public static async Task<SegmentResult> RunAsync(TaskOrchestrationContext context, BenchRun run, BenchUnit unit, int first, int count, JsonElement? state, bool recorded)
    {
        BenchSettings settings = run.Settings;
        StateFunLoginsOutput output = await context.CallActivityAsync<StateFunLoginsOutput>(
            nameof(StateFunLogins), new StateFunLoginsInput(settings.StateFunUrl, settings.UserId, settings.UserName, first, count, state, run.StateFunKey));
        List<TimingRecord> records = [.. output.Timings.Records().Select(r => new TimingRecord(r.Sequence, r.StartUtc, r.EndUtc))];
        if (records.Count != count || records[0].Sequence != first)
        {
            throw new InvalidOperationException($"The StateFun driver returned {records.Count} records from sequence {records.FirstOrDefault()?.Sequence} for sequences {first}..{first + count - 1}.");
        }

        if (recorded)
        {
            await TimingsChunk.RecordAsync(context, run.RunId, unit, records);
        }

        return new SegmentResult(records[0].Start, records[^1].End, output.RuntimeState);
    }
}

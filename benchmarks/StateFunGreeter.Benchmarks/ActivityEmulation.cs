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
internal sealed class ActivityEmulation(StateFunDriver driver)
{
    /// <summary>The bench's chunk: one activity call per timings chunk (<c>TimingsChunk.Size</c>).</summary>
    public const int ChunkSize = 1000;

    // BenchJson.Options: web defaults, nothing ignored, strict numbers.
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>Runs one unit of <paramref name="logins"/> logins from sequence 0, as the control orchestration schedules it.</summary>
    public async Task<UnitRun> RunUnitAsync(Uri endpoint, string userId, string userName, int logins, CancellationToken cancellationToken = default)
    {
        var records = new List<TimingRecord>(logins);
        JsonElement? state = null;
        long outputBytes = 0;
        long compactBytes = 0;
        for (var first = 0; first < logins; first += ChunkSize)
        {
            var count = Math.Min(ChunkSize, logins - first);
            var output = await RunChunkAsync(endpoint, userId, userName, first, count, state, cancellationToken).ConfigureAwait(false);

            // What the worker does with an activity's result before the orchestration sees it.
            outputBytes += JsonSerializer.SerializeToUtf8Bytes(output, Options).Length;
            // What the same result would weigh with the driver's compact timings instead of the records.
            compactBytes += JsonSerializer.SerializeToUtf8Bytes(new { timings = output.Timings, runtimeState = output.RuntimeState }, Options).Length;
            records.AddRange(output.Records);
            state = output.RuntimeState;
        }

        return new UnitRun(records, outputBytes, compactBytes);
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

/// <summary>A unit's records and how many bytes of activity output it produced.</summary>
internal sealed record UnitRun(IReadOnlyList<TimingRecord> Records, long OutputBytes, long CompactOutputBytes)
{
    /// <summary>The unit's span as the bench measures it: first record's start to last record's end.</summary>
    public TimeSpan Span => Records.Max(r => r.End) - Records.Min(r => r.Start);
}

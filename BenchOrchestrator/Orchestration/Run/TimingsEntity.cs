using System.Text.Json.Serialization;
using Microsoft.DurableTask.Entities;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>Records of one unit sent to one chunk in one signal.</summary>
public sealed record TimingBatch(string Scenario, int Invocations, int Repetition, IReadOnlyList<TimingRecord> Records);

/// <summary>What a chunk holds, in sequence order: how many records and their latencies.</summary>
public sealed record ChunkSummary(int Recorded, IReadOnlyList<double> LatenciesMs);

/// <summary>
/// The state of one timings chunk: the records of sequences <c>FirstSequence .. FirstSequence + Length - 1</c> of one
/// (scenario, N, repetition), one slot per sequence. A record always lands in its own slot, so a replayed or retried
/// signal overwrites and never duplicates.
/// </summary>
public sealed class TimingsChunk
{
    /// <summary>Records per chunk: an entity's whole state is rewritten by every batch, so chunks keep that cost bounded.</summary>
    public const int Size = BenchPlan.TimingsChunkSize;

    /// <summary>The scenario.</summary>
    public string Scenario { get; set; } = string.Empty;

    /// <summary>N of the unit.</summary>
    public int Invocations { get; set; }

    /// <summary>The repetition (from 1).</summary>
    public int Repetition { get; set; }

    /// <summary>The sequence number of slot 0.</summary>
    public int FirstSequence { get; set; }

    /// <summary>Start of each slot's invocation, in microseconds since the Unix epoch; null where nothing is recorded yet.</summary>
    public long?[] StartUs { get; set; } = [];

    /// <summary>End of each slot's invocation, in microseconds since the Unix epoch; null where nothing is recorded yet.</summary>
    public long?[] EndUs { get; set; } = [];

    /// <summary>How many slots hold a record.</summary>
    [JsonIgnore]
    public int Recorded => this.StartUs.Count(s => s.HasValue);

    /// <summary>The chunk index that holds <paramref name="sequence"/>.</summary>
    public static int IndexOf(int sequence) => sequence / Size;

    /// <summary>The number of chunks of a unit of <paramref name="invocations"/>.</summary>
    public static int CountFor(int invocations) => (invocations + Size - 1) / Size;

    /// <summary>The entity id of a chunk: one entity per (run, scenario, N, repetition, chunk).</summary>
    public static EntityInstanceId IdFor(string runId, BenchUnit unit, int chunk)
        => new(nameof(TimingsEntity), InstanceIds.TimingsKey(runId, unit, chunk));

    /// <summary>Stores timing records durably: one signal per chunk they fall in.</summary>
    public static async Task RecordAsync(TaskOrchestrationContext context, string runId, BenchUnit unit, IReadOnlyList<TimingRecord> records)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (IGrouping<int, TimingRecord> chunk in records.GroupBy(r => IndexOf(r.Sequence)))
        {
            var batch = new TimingBatch(unit.Scenario, unit.Invocations, unit.Repetition, chunk.ToList());
            await context.Entities.SignalEntityAsync(IdFor(runId, unit, chunk.Key), nameof(TimingsEntity.Record), batch);
        }
    }

    /// <summary>The records held, in sequence order.</summary>
    public IEnumerable<TimingRecord> Records()
    {
        for (int i = 0; i < this.StartUs.Length; i++)
        {
            if (this.StartUs[i] is long start && this.EndUs[i] is long end)
            {
                yield return new TimingRecord(this.FirstSequence + i, FromUs(start), FromUs(end));
            }
        }
    }

    /// <summary>Microseconds since the Unix epoch.</summary>
    public static long ToUs(DateTime utc) => (utc.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>The UTC time of <paramref name="us"/> microseconds since the Unix epoch.</summary>
    public static DateTime FromUs(long us) => new(DateTime.UnixEpoch.Ticks + (us * 10), DateTimeKind.Utc);
}

/// <summary>
/// Keeps the per-event timings of a run as durable entity state, in chunks of at most <see cref="TimingsChunk.Size"/>
/// records, and reports each newly recorded latency to Application Insights when that is configured.
/// </summary>
public sealed class TimingsEntity(BenchTelemetry telemetry) : TaskEntity<TimingsChunk>
{
    /// <summary>Functions trigger.</summary>
    [Function(nameof(TimingsEntity))]
    public static Task Run([EntityTrigger] TaskEntityDispatcher dispatcher) => dispatcher.DispatchAsync<TimingsEntity>();

    /// <summary>Stores the records of <paramref name="batch"/>, each in its sequence's slot.</summary>
    public void Record(TimingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Records.Count == 0)
        {
            return;
        }

        TimingsChunk chunk = this.State;
        int chunkIndex = TimingsChunk.IndexOf(batch.Records[0].Sequence);
        if (chunk.StartUs.Length == 0)
        {
            chunk.Scenario = batch.Scenario;
            chunk.Invocations = batch.Invocations;
            chunk.Repetition = batch.Repetition;
            chunk.FirstSequence = chunkIndex * TimingsChunk.Size;
            int length = Math.Min(TimingsChunk.Size, batch.Invocations - chunk.FirstSequence);
            chunk.StartUs = new long?[length];
            chunk.EndUs = new long?[length];
        }
        else if (chunk.Scenario != batch.Scenario || chunk.Invocations != batch.Invocations || chunk.Repetition != batch.Repetition)
        {
            throw new InvalidOperationException(
                $"Timings of {batch.Scenario}/{batch.Invocations}/{batch.Repetition} sent to the chunk of {chunk.Scenario}/{chunk.Invocations}/{chunk.Repetition}.");
        }

        foreach (TimingRecord record in batch.Records)
        {
            int slot = record.Sequence - chunk.FirstSequence;
            if (slot < 0 || slot >= chunk.StartUs.Length)
            {
                throw new InvalidOperationException(
                    $"Sequence {record.Sequence} does not belong to the chunk starting at {chunk.FirstSequence} ({chunk.StartUs.Length} slots).");
            }

            bool isNew = chunk.StartUs[slot] is null;
            chunk.StartUs[slot] = TimingsChunk.ToUs(record.Start);
            chunk.EndUs[slot] = TimingsChunk.ToUs(record.End);
            if (isNew)
            {
                telemetry.TrackLatency(batch.Scenario, batch.Invocations, record.LatencyMs);
            }
        }
    }

    /// <summary>How many records the chunk holds and their latencies, in sequence order.</summary>
    public ChunkSummary Summary()
        => new(this.State.Recorded, this.State.Records().Select(r => r.LatencyMs).ToList());

    /// <summary>The records held, with their sequences, in sequence order (a cart unit labels each with its operation's kind).</summary>
    public List<TimingRecord> Timings() => [.. this.State.Records()];

    /// <inheritdoc/>
    protected override TimingsChunk InitializeState(TaskEntityOperation entityOperation) => new();
}

using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using FunctionsBench.BenchOrchestrator;

namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// Every request the task hub's storage clients send, with its time and operation: the measured side of "how many
/// storage operations does one step cost", against the floor's eight. Attached to the provider's blob, queue and table
/// clients as a per-retry pipeline policy, so retries count as the requests they are; a request counts when its
/// response arrives (one that fails without a response is not counted).
/// </summary>
/// <remarks>
/// An entry is 16 bytes; past <see cref="Capacity"/> entries (about 64 MB) requests are counted in
/// <see cref="Dropped"/> only, and per-unit counts would be short, so <see cref="IsComplete"/> turns false.
/// </remarks>
public sealed class StorageRequestLog
{
    /// <summary>The most requests kept.</summary>
    public const int Capacity = 4_000_000;

    private readonly ConcurrentQueue<(long Ticks, byte Operation)> entries = new();
    private readonly Dictionary<string, byte> codes;
    private int count;
    private long dropped;

    /// <summary>An empty log.</summary>
    public StorageRequestLog() => this.codes = StorageOperations.All.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => (byte)p.i, StringComparer.Ordinal);

    /// <summary>Requests seen past <see cref="Capacity"/>.</summary>
    public long Dropped => Interlocked.Read(ref this.dropped);

    /// <summary>Whether every request seen is kept.</summary>
    public bool IsComplete => this.Dropped == 0;

    /// <summary>The requests kept so far, in arrival order.</summary>
    public IReadOnlyList<(DateTime At, string Operation)> Snapshot()
        => [.. this.entries.Select(e => (new DateTime(e.Ticks, DateTimeKind.Utc), StorageOperations.All[e.Operation]))];

    /// <summary>The pipeline policy for the clients of <paramref name="service"/> (<c>queue</c>, <c>table</c> or <c>blob</c>).</summary>
    public HttpPipelinePolicy PolicyFor(string service) => new Policy(this, service);

    /// <summary>Records one request as <paramref name="operation"/> (one of <see cref="StorageOperations.All"/>).</summary>
    public void Record(string operation, DateTime at)
    {
        if (!this.codes.TryGetValue(operation, out byte code))
        {
            throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a storage operation this log counts.");
        }

        if (Interlocked.Increment(ref this.count) > Capacity)
        {
            Interlocked.Increment(ref this.dropped);
            return;
        }

        this.entries.Enqueue((at.Ticks, code));
    }

    /// <summary>Whether a queue receive's response holds no message (an empty <c>QueueMessagesList</c>).</summary>
    internal static bool IsEmptyReceive(ReadOnlySpan<byte> responseBody) => responseBody.IndexOf("<QueueMessage>"u8) < 0;

    /// <summary>Counts each attempt when its response arrives, so a receive can be told empty or not.</summary>
    private sealed class Policy(StorageRequestLog log, string service) : HttpPipelineSynchronousPolicy
    {
        public override void OnReceivedResponse(HttpMessage message)
        {
            string operation = StorageOperations.Classify(service, message.Request.Method.Method, message.Request.Uri.ToUri());
            if (operation == "queue.receive" && message.Response.Status == 200 && message.Response.ContentStream is MemoryStream buffered
                && IsEmptyReceive(buffered.GetBuffer().AsSpan(0, (int)buffered.Length)))
            {
                operation = StorageOperations.EmptyReceive;
            }

            log.Record(operation, DateTime.UtcNow);
        }
    }
}

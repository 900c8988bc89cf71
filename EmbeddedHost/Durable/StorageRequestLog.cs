using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using FunctionsBench.BenchOrchestrator;

namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// Every request the task hub's storage clients send, with its time and operation: the measured side of "how many
/// storage operations does one step cost", against the floor's eight. Attached to the provider's blob, queue and table
/// clients as a per-retry pipeline policy, so retries count as the requests they are.
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

    /// <summary>Records one request.</summary>
    public void Record(string service, string method, Uri uri, DateTime at)
    {
        if (Interlocked.Increment(ref this.count) > Capacity)
        {
            Interlocked.Increment(ref this.dropped);
            return;
        }

        this.entries.Enqueue((at.Ticks, this.codes[StorageOperations.Classify(service, method, uri)]));
    }

    private sealed class Policy(StorageRequestLog log, string service) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
            => log.Record(service, message.Request.Method.Method, message.Request.Uri.ToUri(), DateTime.UtcNow);
    }
}

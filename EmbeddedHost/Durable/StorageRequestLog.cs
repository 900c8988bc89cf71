using System.Collections.Concurrent;
using Azure.Core;

namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// Every HTTP request this process sends to the task hub's storage account, with its time and operation: the measured
/// side of "how many storage operations does one step cost", against the floor's eight. Counted in the HTTP transport
/// that every Azure SDK client of the process uses (<see cref="ClientOptions.Default"/>), so it sees whatever storage
/// clients the Durable Functions extension builds, and every attempt: a retry is the request it is, and an attempt that
/// got no response counts too.
/// </summary>
/// <remarks>
/// The bench's own storage clients (the floors, the CLI's inspection) set an application id that starts with
/// <see cref="BenchClientPrefix"/> and are left out. An entry is 16 bytes; past <see cref="Capacity"/> entries (about
/// 64 MB) requests are counted in <see cref="Dropped"/> only, and per-unit counts would be short, so
/// <see cref="IsComplete"/> turns false.
/// </remarks>
public sealed class StorageRequestLog : IDisposable
{
    /// <summary>The most requests kept.</summary>
    public const int Capacity = 4_000_000;

    /// <summary>The application id prefix of the bench's own storage clients, whose requests are not the provider's.</summary>
    public const string BenchClientPrefix = StorageOperations.BenchClientPrefix;

    private static readonly ConcurrentDictionary<StorageRequestLog, byte> Active = new();
    private static readonly Lazy<bool> Installed = new(() =>
    {
        ExtensionInternals.SwapStorageTransport(new CountingHandler(new SocketsHttpHandler()));
        return true;
    });

    private static readonly string[] OutcomeNames = ["ok", "4xx", "5xx", "no response"];

    /// <summary>Each kept request: its time, operation and HTTP status (0: no response).</summary>
    private readonly ConcurrentQueue<(long Ticks, byte Operation, short Status)> entries = new();
    private readonly Dictionary<string, byte> codes;
    private readonly Dictionary<string, string> services;
    private int count;
    private long dropped;
    private long lastAnswerTicks;
    private long firstFailureTicks;
    private int failuresSinceAnswer;

    /// <summary>A log of the requests to <paramref name="endpoints"/>.</summary>
    /// <param name="endpoints">The account's endpoints: <c>blob</c>, <c>queue</c> and <c>table</c> to their service URIs.</param>
    public StorageRequestLog(IReadOnlyDictionary<string, Uri> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        this.codes = StorageOperations.All.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => (byte)p.i, StringComparer.Ordinal);
        this.services = endpoints.ToDictionary(e => Key(e.Value), e => e.Key, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Requests seen past <see cref="Capacity"/>.</summary>
    public long Dropped => Interlocked.Read(ref this.dropped);

    /// <summary>Whether every request seen is kept.</summary>
    public bool IsComplete => this.Dropped == 0;

    /// <summary>
    /// Starts counting. The first log of the process puts the counting transport under every Azure SDK client created
    /// afterwards, so start it before the storage clients are made.
    /// </summary>
    public StorageRequestLog Start()
    {
        _ = Installed.Value;
        Active.TryAdd(this, 0);
        return this;
    }

    /// <summary>The requests kept so far, in arrival order.</summary>
    public IReadOnlyList<(DateTime At, string Operation)> Snapshot()
        => [.. this.entries.Select(e => (new DateTime(e.Ticks, DateTimeKind.Utc), StorageOperations.All[e.Operation]))];

    /// <summary>Every request kept so far with its status, in arrival order: what the storage-fault analysis reads.</summary>
    public IReadOnlyList<StorageAttempt> Attempts()
        => [.. this.entries.Select(e => new StorageAttempt(new DateTime(e.Ticks, DateTimeKind.Utc), StorageOperations.All[e.Operation], e.Status == 0 ? null : e.Status))];

    /// <summary>Requests kept so far by outcome: <c>ok</c>, <c>4xx</c>, <c>5xx</c>, <c>no response</c>.</summary>
    public IReadOnlyDictionary<string, int> Outcomes()
        => this.entries.GroupBy(e => Outcome(e.Status)).ToDictionary(g => OutcomeNames[g.Key], g => g.Count(), StringComparer.Ordinal);

    /// <summary>
    /// Storage as the requests see it right now: when it last answered (anything but a <see cref="StorageFaults.IsFailure"/>),
    /// and the failures since, the first of them when. Kept for every request, past <see cref="Capacity"/> too.
    /// </summary>
    public (DateTime? LastAnswer, int FailuresSince, DateTime? FirstFailure) Health()
    {
        long answer = Interlocked.Read(ref this.lastAnswerTicks);
        long failure = Interlocked.Read(ref this.firstFailureTicks);
        return (answer == 0 ? null : new DateTime(answer, DateTimeKind.Utc), Volatile.Read(ref this.failuresSinceAnswer), failure == 0 ? null : new DateTime(failure, DateTimeKind.Utc));
    }

    /// <summary>Records one request as <paramref name="operation"/> (one of <see cref="StorageOperations.All"/>); a null status means no response.</summary>
    public void Record(string operation, DateTime at, int? status = 200)
    {
        if (!this.codes.TryGetValue(operation, out byte code))
        {
            throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a storage operation this log counts.");
        }

        this.Track(at, status);
        if (Interlocked.Increment(ref this.count) > Capacity)
        {
            Interlocked.Increment(ref this.dropped);
            return;
        }

        this.entries.Enqueue((at.Ticks, code, (short)(status ?? 0)));
    }

    /// <summary>Whether a queue receive's response holds no message (an empty <c>QueueMessagesList</c>).</summary>
    internal static bool IsEmptyReceive(ReadOnlySpan<byte> responseBody) => responseBody.IndexOf("<QueueMessage>"u8) < 0;

    /// <inheritdoc/>
    public void Dispose() => Active.TryRemove(this, out _);

    private static byte Outcome(short status) => status switch { 0 => 3, >= 500 => 2, >= 400 => 1, _ => 0 };

    /// <summary>Keeps <see cref="Health"/>: an answer resets the failure count, a failure after an answer starts one.</summary>
    private void Track(DateTime at, int? status)
    {
        if (!StorageFaults.IsFailure(status))
        {
            Interlocked.Exchange(ref this.lastAnswerTicks, at.Ticks);
            Interlocked.Exchange(ref this.failuresSinceAnswer, 0);
            Interlocked.Exchange(ref this.firstFailureTicks, 0);
        }
        else if (Interlocked.Increment(ref this.failuresSinceAnswer) == 1)
        {
            Interlocked.Exchange(ref this.firstFailureTicks, at.Ticks);
        }
    }

    /// <summary>Requests to one account share scheme, host, port and, on the emulator, the account's path segment.</summary>
    private static string Key(Uri uri)
    {
        string path = uri.AbsolutePath.Trim('/');
        int slash = path.IndexOf('/', StringComparison.Ordinal);
        string account = uri.IsLoopback ? (slash < 0 ? path : path[..slash]) : string.Empty;
        return $"{uri.Scheme}://{uri.Host}:{uri.Port}/{account}";
    }

    private void Observe(HttpRequestMessage request, Uri uri, int? status, bool? emptyReceive)
    {
        if (!this.services.TryGetValue(Key(uri), out string? service))
        {
            return;
        }

        string operation = StorageOperations.Classify(service, request.Method.Method, uri);
        this.Record(operation == "queue.receive" && emptyReceive == true ? StorageOperations.EmptyReceive : operation, DateTime.UtcNow, status);
    }

    /// <summary>The transport's handler: every attempt of every Azure SDK client passes here.</summary>
    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Active.IsEmpty || request.RequestUri is not { } uri || request.Headers.UserAgent.ToString().StartsWith(BenchClientPrefix, StringComparison.Ordinal))
            {
                return await base.SendAsync(request, cancellationToken);
            }

            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                foreach (StorageRequestLog log in Active.Keys)
                {
                    log.Observe(request, uri, status: null, emptyReceive: null);
                }

                throw;
            }

            bool? empty = null;
            if (request.Method == HttpMethod.Get && uri.AbsolutePath.EndsWith("/messages", StringComparison.Ordinal) && response.IsSuccessStatusCode)
            {
                // Receives are small and the SDK reads them whole anyway; reading here tells an empty one apart.
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                empty = IsEmptyReceive(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            }

            foreach (StorageRequestLog log in Active.Keys)
            {
                log.Observe(request, uri, (int)response.StatusCode, empty);
            }

            return response;
        }
    }
}

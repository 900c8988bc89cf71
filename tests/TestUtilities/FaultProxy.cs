using System.Collections.Concurrent;
using System.Net;
using FunctionsBench.BenchOrchestrator;
using FunctionsBench.Embedded.Azurite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;

namespace FunctionsBench.Testing;

/// <summary>The faults <see cref="FaultProxy"/> injects, each as often as the others.</summary>
public enum StorageFault
{
    /// <summary>503 with the storage services' <c>ServerBusy</c> error.</summary>
    ServerBusy,

    /// <summary>500 with <c>InternalError</c>.</summary>
    InternalError,

    /// <summary>The connection is reset before any answer.</summary>
    Reset,

    /// <summary>The request is forwarded after 2 s.</summary>
    Delay,
}

/// <summary>
/// A reverse proxy (YARP's forwarder) between a host and Azurite, one listener per service, that answers a share of
/// the requests with a fault instead of forwarding them. Requests of the bench's own storage clients (the floors, the
/// inspection) pass untouched and uncounted, as the host's storage request log leaves them out too.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    /// <summary>How long a <see cref="StorageFault.Delay"/> holds a request.</summary>
    public static readonly TimeSpan DelayFault = TimeSpan.FromSeconds(2);

    private readonly LoopbackServer server;
    private readonly Dictionary<int, Uri> upstreams;
    private readonly double probability;
    private readonly Random random;
    private readonly ConcurrentDictionary<StorageFault, int> injected = new();
    private readonly ConcurrentDictionary<string, int> faultedRequests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> retriedRequests = new(StringComparer.Ordinal);
    private readonly HttpMessageInvoker client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    });

    private int requests;
    private int upstreamFailures;
    private volatile bool enabled = true;
    private volatile bool outage;

    private FaultProxy(LoopbackServer server, Dictionary<int, Uri> upstreams, double probability, int seed)
    {
        this.server = server;
        this.upstreams = upstreams;
        this.probability = probability;
        this.random = new Random(seed);
    }

    /// <summary>The development account through the proxy: what the host is given instead of Azurite's own.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Requests seen (the bench's own left out), faulted ones and retries included.</summary>
    public int Requests => Volatile.Read(ref this.requests);

    /// <summary>Faults injected, by kind.</summary>
    public IReadOnlyDictionary<StorageFault, int> Injected => this.injected.ToDictionary(p => p.Key, p => p.Value);

    /// <summary>Requests Azurite itself answered with a 5xx or that could not be forwarded.</summary>
    public int UpstreamFailures => Volatile.Read(ref this.upstreamFailures);

    /// <summary>
    /// Distinct operations (the SDK's <c>x-ms-client-request-id</c>, kept across its retries) that met a failure: a 503,
    /// a 500 or a reset (a delayed request is answered, so it needs no retry).
    /// </summary>
    public int FaultedOperations => this.faultedRequests.Count;

    /// <summary>Of those, the operations the client sent again after the fault: the SDK's retries, seen on the wire.</summary>
    public int RetriedOperations => this.retriedRequests.Count;

    /// <summary>Starts a proxy in front of <paramref name="azurite"/> that faults <paramref name="probability"/> of the requests.</summary>
    public static async Task<FaultProxy> StartAsync(TestAzurite azurite, double probability, int seed = 12)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        ArgumentOutOfRangeException.ThrowIfNegative(probability);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1);
        FaultProxy? proxy = null;
        var upstreams = new Dictionary<int, Uri>();
        LoopbackServer server = await LoopbackServer.StartAsync(
            app => app.Map("/{**path}", (HttpContext http, IHttpForwarder forwarder) => proxy!.HandleAsync(http, forwarder)),
            services => services.AddHttpForwarder(),
            listeners: 3);
        int[] ports = [azurite.Options.BlobPort, azurite.Options.QueuePort, azurite.Options.TablePort];
        for (int i = 0; i < 3; i++)
        {
            upstreams[server.Addresses[i].Port] = new Uri($"http://127.0.0.1:{ports[i]}/");
        }

        proxy = new FaultProxy(server, upstreams, probability, seed);
        proxy.ConnectionString = AzuriteProcess.ConnectionStringFor(new AzuriteOptions
        {
            BlobPort = server.Addresses[0].Port,
            QueuePort = server.Addresses[1].Port,
            TablePort = server.Addresses[2].Port,
        });
        return proxy;
    }

    /// <summary>Stops injecting faults (and counting): what the test reads afterwards is the run's.</summary>
    public void StopFaults() => this.enabled = false;

    /// <summary>
    /// Storage becomes unreachable: from now on every request, the bench's own included, has its connection reset before
    /// any answer, as when the storage account's host is down, until <see cref="EndOutage"/>. Azurite itself keeps
    /// running and loses nothing it acknowledged (a killed Azurite on disk does: it saves every 5 s).
    /// </summary>
    public void BeginOutage() => this.outage = true;

    /// <summary>Storage answers again.</summary>
    public void EndOutage() => this.outage = false;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await this.server.DisposeAsync();
        this.client.Dispose();
    }

    private async Task HandleAsync(HttpContext http, IHttpForwarder forwarder)
    {
        if (this.outage)
        {
            http.Abort();
            return;
        }

        Uri upstream = this.upstreams[http.Connection.LocalPort];
        bool counted = this.enabled && !http.Request.Headers.UserAgent.ToString().StartsWith(StorageOperations.BenchClientPrefix, StringComparison.Ordinal);
        StorageFault? fault = null;
        if (counted)
        {
            Interlocked.Increment(ref this.requests);
            string id = http.Request.Headers["x-ms-client-request-id"].ToString();
            if (id.Length > 0 && this.faultedRequests.ContainsKey(id))
            {
                this.retriedRequests.TryAdd(id, 0);
            }

            fault = this.Draw();
            if (fault is { } drawn)
            {
                this.injected.AddOrUpdate(drawn, 1, (_, n) => n + 1);
                if (id.Length > 0 && drawn != StorageFault.Delay)
                {
                    this.faultedRequests.AddOrUpdate(id, 1, (_, n) => n + 1);
                }
            }
        }

        switch (fault)
        {
            case StorageFault.ServerBusy:
                await WriteErrorAsync(http, StatusCodes.Status503ServiceUnavailable, "ServerBusy", "The server is busy (injected).");
                return;
            case StorageFault.InternalError:
                await WriteErrorAsync(http, StatusCodes.Status500InternalServerError, "InternalError", "The server encountered an internal error (injected).");
                return;
            case StorageFault.Reset:
                http.Abort();
                return;
            case StorageFault.Delay:
                try
                {
                    await Task.Delay(DelayFault, http.RequestAborted);
                }
                catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
                {
                    // The client stopped waiting (its own timeout): nothing is left to forward.
                    return;
                }

                break;
        }

        ForwarderError error = await forwarder.SendAsync(http, upstream.ToString(), this.client, ForwarderRequestConfig.Empty, RawTargetTransformer.Instance);
        if (counted && !http.RequestAborted.IsCancellationRequested && (error != ForwarderError.None || http.Response.StatusCode >= 500))
        {
            Interlocked.Increment(ref this.upstreamFailures);
        }
    }

    private StorageFault? Draw()
    {
        lock (this.random)
        {
            return this.random.NextDouble() < this.probability ? (StorageFault)this.random.Next(4) : null;
        }
    }

    private static Task WriteErrorAsync(HttpContext http, int status, string code, string message)
    {
        // As the storage services answer: the error code in a header and in the body.
        http.Response.StatusCode = status;
        http.Response.Headers["x-ms-error-code"] = code;
        http.Response.ContentType = "application/xml";
        return http.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>");
    }

    /// <summary>
    /// Forwards the request target exactly as the client sent it. Kestrel decodes the path and YARP would encode it again
    /// its own way (an instance id's <c>%3A</c> reaching Azurite as <c>:</c>), and Azurite checks the SDK's shared-key
    /// signature against the path it receives, so a re-encoded path is refused with 403.
    /// </summary>
    private sealed class RawTargetTransformer : HttpTransformer
    {
        public static readonly RawTargetTransformer Instance = new();

        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            string raw = httpContext.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
            proxyRequest.RequestUri = new Uri(destinationPrefix.TrimEnd('/') + raw, UriKind.Absolute);
        }
    }
}

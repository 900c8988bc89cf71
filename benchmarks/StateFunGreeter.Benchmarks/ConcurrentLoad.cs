using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace FunctionsBench.StateFun.Benchmarks;

/// <summary>
/// Closed-loop load on a StateFun endpoint: every connection is one logical user logging in again and again through
/// <see cref="StateFunDriver"/>, so every request is one the greeter must answer correctly (the user function with
/// its state attached, then the greetings function) and every greeting is checked. Stops by itself.
/// </summary>
/// <remarks>
/// The benchmark app's <c>load</c> mode prints the figures; the test project compiles this file too and asserts
/// only correctness (zero errors, every user served), never speed.
/// </remarks>
internal static class ConcurrentLoad
{
    public const int MaxConnections = 1024;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

    // A request slower than this counts as an error rather than stalling the run.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="connections"/> users for <paramref name="warmup"/> unmeasured, then <paramref name="duration"/> measured.</summary>
    /// <param name="endpoint">The function endpoint, as for <see cref="StateFunChunkRequest.Endpoint"/>.</param>
    /// <param name="connections">Concurrent users, each on its own HTTP connection.</param>
    /// <param name="duration">The measured window; requests started in it are counted.</param>
    /// <param name="warmup">An unmeasured lead-in (JIT, handshakes); errors in it still count.</param>
    /// <param name="cancellationToken">Stops the run early.</param>
    public static async Task<ConcurrentLoadResult> RunAsync(
        Uri endpoint, int connections, TimeSpan duration, TimeSpan warmup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(connections, MaxConnections);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(duration, MaxDuration);
        ArgumentOutOfRangeException.ThrowIfLessThan(warmup, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(warmup, MaxDuration);

        var start = Stopwatch.GetTimestamp();
        var window = new Window(start + ToTicks(warmup), start + ToTicks(warmup + duration));

        // The workers stop on their own at the window's end; this only bounds a run whose requests hang.
        using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        hardStop.CancelAfter(warmup + duration + RequestTimeout + RequestTimeout);

        var users = new User[connections];
        for (var i = 0; i < connections; i++)
        {
            users[i] = new User(endpoint, i, window);
        }

        try
        {
            await Task.WhenAll(users.Select(user => Task.Run(() => user.RunAsync(hardStop.Token), CancellationToken.None))).ConfigureAwait(false);
        }
        finally
        {
            foreach (var user in users)
            {
                user.Dispose();
            }
        }

        var latencies = users.SelectMany(user => user.Latencies).Order().ToArray();
        return new ConcurrentLoadResult(
            connections,
            duration,
            latencies.Length,
            users.Sum(user => user.MeasuredLogins),
            users.Sum(user => user.Errors),
            users.Select(user => user.FirstError).FirstOrDefault(error => error is not null),
            users.Count(user => user.Logins > 0),
            users.Sum(user => user.ConnectionsOpened),
            latencies);
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private readonly record struct Window(long From, long To)
    {
        public bool Contains(long timestamp) => timestamp >= From && timestamp < To;
    }

    /// <summary>One logical user on one connection, with its own runtime state.</summary>
    private sealed class User : IDisposable
    {
        private readonly Uri endpoint;
        private readonly int index;
        private readonly Window window;
        private readonly TimingHandler timing;
        private readonly HttpClient client;
        private int connectionsOpened;

        public User(Uri endpoint, int index, Window window)
        {
            this.endpoint = endpoint;
            this.index = index;
            this.window = window;
            var sockets = new SocketsHttpHandler
            {
                // One connection per user: the connection count is exactly the user count.
                MaxConnectionsPerServer = 1,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                ConnectCallback = ConnectAsync,
            };
            timing = new TimingHandler(sockets, window);
            client = new HttpClient(timing) { Timeout = RequestTimeout };
        }

        public List<double> Latencies => timing.Latencies;

        public long Logins { get; private set; }

        public long MeasuredLogins { get; private set; }

        public long Errors { get; private set; }

        public string? FirstError { get; private set; }

        // A reopened connection means the server dropped one: reported so the output shows it.
        public int ConnectionsOpened => Volatile.Read(ref connectionsOpened);

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var driver = new StateFunDriver(client);
            var userId = string.Create(CultureInfo.InvariantCulture, $"load-{index}");
            var userName = string.Create(CultureInfo.InvariantCulture, $"User {index}");
            var state = new StateFunRuntimeState();
            while (!cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                if (started >= window.To)
                {
                    return;
                }

                try
                {
                    // The driver returns a new state only on success, so a failed login is simply retried from the last good one.
                    var result = await driver.RunChunkAsync(
                        new StateFunChunkRequest(endpoint, userId, userName, (int)Logins + 1, 1, state), cancellationToken).ConfigureAwait(false);
                    state = result.State;
                    Logins++;
                    if (window.Contains(started))
                    {
                        MeasuredLogins++;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    Errors++;
                    FirstError ??= userId + ": a login was still running when the run's time bound ran out";
                    return;
                }
                catch (Exception e)
                {
                    // Wrong replies, HTTP errors and request timeouts alike: the run goes on and the count tells.
                    Errors++;
                    FirstError ??= string.Create(CultureInfo.InvariantCulture, $"{userId}: {e.GetType().Name}: {e.Message}");
                }
            }
        }

        public void Dispose() => client.Dispose();

        private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref connectionsOpened);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    /// <summary>Times each request from sending to the whole reply body received, if it started in the window.</summary>
    private sealed class TimingHandler(HttpMessageHandler inner, Window window) : DelegatingHandler(inner)
    {
        // One user sends one request at a time, so no lock is needed.
        public List<double> Latencies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            if (window.Contains(started))
            {
                Latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return response;
        }
    }
}

/// <summary>The outcome of <see cref="ConcurrentLoad.RunAsync"/>.</summary>
/// <param name="Connections">Concurrent users, one connection each.</param>
/// <param name="Duration">The measured window.</param>
/// <param name="Requests">HTTP requests started in the window.</param>
/// <param name="Logins">Logins (UserLogin to checked greeting) started in the window.</param>
/// <param name="Errors">Failed logins over the whole run, warm-up included: HTTP errors, timeouts, wrong replies or greetings.</param>
/// <param name="FirstError">The first failure's description, if any.</param>
/// <param name="UsersServed">Users that completed at least one login.</param>
/// <param name="ConnectionsOpened">TCP connections opened; equal to <paramref name="Connections"/> when none was dropped.</param>
/// <param name="SortedLatenciesMs">Latencies of the counted requests, ascending.</param>
internal sealed record ConcurrentLoadResult(
    int Connections,
    TimeSpan Duration,
    long Requests,
    long Logins,
    long Errors,
    string? FirstError,
    int UsersServed,
    int ConnectionsOpened,
    double[] SortedLatenciesMs)
{
    public double RequestsPerSecond => Requests / Duration.TotalSeconds;

    /// <summary>Nearest-rank percentile of the request latencies in milliseconds; NaN with no requests.</summary>
    public double PercentileMs(double p) => SortedLatenciesMs.Length == 0
        ? double.NaN
        : SortedLatenciesMs[Math.Clamp((int)Math.Ceiling(p * SortedLatenciesMs.Length) - 1, 0, SortedLatenciesMs.Length - 1)];

    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            string.Create(inv, $"StateFun greeter, loopback, {Connections} connections (one user each) for {Duration.TotalSeconds:F0} s:"),
            string.Create(inv, $"  requests   {Requests,10} ({Logins} logins, 2 requests each in steady state)"),
            string.Create(inv, $"  requests/s {RequestsPerSecond,10:F0}"),
            string.Create(inv, $"  logins/s   {Logins / Duration.TotalSeconds,10:F0}"),
            string.Create(inv, $"  request latency ms: p50 {PercentileMs(0.50):F3}  p90 {PercentileMs(0.90):F3}  p99 {PercentileMs(0.99):F3}  max {(SortedLatenciesMs.Length == 0 ? double.NaN : SortedLatenciesMs[^1]):F3}"),
            string.Create(inv, $"  errors {Errors}  users served {UsersServed}/{Connections}  connections opened {ConnectionsOpened}"),
        };
        if (FirstError is not null)
        {
            lines.Add("  first error: " + FirstError);
        }

        return string.Join(Environment.NewLine, lines);
    }
}

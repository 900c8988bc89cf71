using System.Net;
using FunctionsBench.Embedded.Run;

namespace FunctionsBench.StateFun.Benchmarks;

/// <summary>
/// The bench's <c>statefun</c> scenario at driver level: units of logins run through <see cref="ActivityEmulation"/>
/// (calls of <see cref="ActivityEmulation.ChunkSize"/> logins, state carried as JSON) against the standalone greeter, interleaved chunk by chunk with the HTTP
/// floor (two sequential POSTs per login of a StateFun-sized body to a no-op path on the same Kestrel, as
/// <c>HttpFloorProbe</c> sends them, over the same client). Efficiency is the bench's: 2 x logins/s over floor
/// requests/s, each side over its own time only.
/// </summary>
/// <remarks>
/// The driver, the greeter and Kestrel share this process, as the driver activity and the StateFun endpoint share the
/// embedded host. Allocations are the whole process's (client, server, driver, greeter) per login or request.
/// </remarks>
internal static class ActivityBenchmark
{
    public const int DefaultUnits = 3;
    public const int DefaultLogins = 20_000;
    private const string NoopPath = "/api/noop";
    private const string UserId = "1";
    private const string UserName = "Joe";

    /// <param name="units">Units to run, each next to its floor.</param>
    /// <param name="logins">Logins per unit.</param>
    /// <param name="compactTimings">Whether the emulated activity returns <see cref="StateFunTimings"/> instead of records.</param>
    public static async Task RunAsync(int units, int logins, bool compactTimings)
    {
        // Requests on the thread pool, as the embedded host's Kestrel serves the greeter and the no-op in the bench.
        await using var server = await StateFunServer.StartAsync(0, "127.0.0.1", handler: null, NoopPath, inlineScheduling: false, CancellationToken.None);
        // The bench's StateFun client (Hosting/BenchServices.cs).
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        var emulation = new ActivityEmulation(new StateFunDriver(client), compactTimings);
        // The bench's default StateFun URL shape: one path per function type.
        var greeterUrl = new Uri(server.BaseAddress.OriginalString + "api/statefun/{function.name}");
        var noopUrl = new Uri(server.BaseAddress, NoopPath);
        var body = StateFunDriver.FloorBody(UserId, UserName);
        var inv = CultureInfo.InvariantCulture;

        // A separate user warms the driver and greeter, as the bench's floors activity does, and the floor is warmed
        // alongside: both paths keep being compiled and re-optimised for a few seconds, and a floor measured before
        // that ends is low (the first unit then reads above 1).
        var warmupStarted = Stopwatch.GetTimestamp();
        var warmups = 0;
        while (Stopwatch.GetElapsedTime(warmupStarted) < ActivityEmulation.WarmupTime)
        {
            await emulation.RunUnitAsync(greeterUrl, UserId + ".warmup" + warmups++, UserName, ActivityEmulation.WarmupLogins);
            await PostNoopAsync(client, noopUrl, body, 2 * ActivityEmulation.WarmupLogins);
        }

        Console.WriteLine(string.Create(inv,
            $"statefun at driver level: {units} units of {logins} logins (chunks of {ActivityEmulation.ChunkSize}, activity returns {(compactTimings ? "StateFunTimings" : "records")}), each chunk next to a floor slice of twice as many no-op POSTs of {body.Length} bytes, in turns; warm-up {warmups} x ({ActivityEmulation.WarmupLogins} logins + {2 * ActivityEmulation.WarmupLogins} floor POSTs) in {Stopwatch.GetElapsedTime(warmupStarted).TotalSeconds:F1} s"));
        Console.WriteLine("unit  floor req/s  floor p50/p99 ms  floor B/req | logins/s  req/s  login p50/p99 ms  B/login  gen0/1/2 | efficiency  at p50  steal");
        var efficiencies = new List<double>();
        var loginsPerSecond = new List<double>();
        var allLatencies = new List<double>();
        var bytesPerLogin = new List<double>();
        var medianEfficiencies = new List<double>();
        for (var unit = 1; unit <= units; unit++)
        {
            var cpuAtStart = MachineCpu.Read();
            // The floor and the unit take turns chunk by chunk, so that both see the same moments of a shared machine.
            var greeter = emulation.StartUnit(greeterUrl, UserId, UserName, logins);
            var floorMs = new List<double>(2 * logins);
            var floorTime = TimeSpan.Zero;
            long floorAllocated = 0;
            for (var turn = 0; !greeter.Done; turn++)
            {
                if (turn % 2 == 1)
                {
                    await greeter.NextChunkAsync();
                }

                var floor = await Measured.RunAsync(() => PostNoopAsync(client, noopUrl, body, 2 * ActivityEmulation.ChunkSize));
                floorMs.AddRange(floor.Value);
                floorTime += floor.Elapsed;
                floorAllocated += floor.Allocated;
                if (turn % 2 == 0)
                {
                    await greeter.NextChunkAsync();
                }
            }

            var run = greeter.Result;
            floorMs.Sort();
            var floorRate = floorMs.Count / floorTime.TotalSeconds;
            var latencies = run.Records.Select(r => r.LatencyMs).Order().ToArray();
            var rate = run.LoginsPerSecond;
            var efficiency = 2 * rate / floorRate;
            efficiencies.Add(efficiency);
            // The same ratio between the typical login and the typical floor request, which the tails leave alone.
            var medianEfficiency = 2 * Percentile(floorMs, 0.5) / Percentile(latencies, 0.5);
            medianEfficiencies.Add(medianEfficiency);
            double? steal = cpuAtStart is { } from && MachineCpu.Read() is { } to ? to.CoresSince(from, Environment.ProcessorCount).StolenCores : null;
            loginsPerSecond.Add(rate);
            allLatencies.AddRange(latencies);
            bytesPerLogin.Add(run.Allocated / (double)logins);

            var chunks = Math.Ceiling(logins / (double)ActivityEmulation.ChunkSize);
            var outside = run.Time.TotalMilliseconds - latencies.Sum();
            Console.WriteLine(string.Create(inv,
                $"      login mean {latencies.Average():F3} ms, p90 {Percentile(latencies, 0.9):F3}, p99.9 {Percentile(latencies, 0.999):F3}, max {latencies[^1]:F3}; {latencies.Count(l => l > 1.0)} logins over 1 ms; outside logins {outside * 1000 / logins:F1} us per login; activity output {run.OutputBytes / chunks / 1024:F1} KiB JSON per chunk ({run.CompactOutputBytes / chunks / 1024:F1} KiB with StateFunTimings); floor mean {floorMs.Average():F3} ms, max {floorMs[^1]:F3}"));
            Console.WriteLine(string.Create(inv,
                $"{unit,4}  {floorRate,11:F0}  {Percentile(floorMs, 0.5),7:F3}/{Percentile(floorMs, 0.99):F3}  {floorAllocated / (double)floorMs.Count,11:F0} | {rate,8:F0}  {2 * rate,5:F0}  {Percentile(latencies, 0.5),8:F3}/{Percentile(latencies, 0.99):F3}  {run.Allocated / (double)logins,7:F0}  {run.Gen0}/{run.Gen1}/{run.Gen2} | {efficiency,10:F2}  {medianEfficiency,6:F2}  {(steal is double cores ? cores.ToString("F2", inv) : "-"),5}"));
        }

        allLatencies.Sort();
        Console.WriteLine(string.Create(inv,
            $"mean  efficiency {efficiencies.Average():F2} (min {efficiencies.Min():F2}, max {efficiencies.Max():F2}; at p50 {medianEfficiencies.Average():F2})  logins/s {loginsPerSecond.Average():F0}  login p50 {Percentile(allLatencies, 0.5):F3} ms  p99 {Percentile(allLatencies, 0.99):F3} ms  {bytesPerLogin.Average():F0} B/login (whole process)"));

        await InMemoryAsync(logins);
    }

    /// <summary>
    /// The driver and the greeter's handler with no HTTP stack between them: what the driver and the protocol cost
    /// alone, per login, in time and allocations.
    /// </summary>
    public static async Task InMemoryAsync(int logins)
    {
        using var client = new HttpClient(new InMemoryStateFunHandler(Greeter.CreateHandler()));
        var emulation = new ActivityEmulation(new StateFunDriver(client));
        var url = new Uri("http://in-memory/");
        await emulation.RunUnitAsync(url, UserId + ".warmup", UserName, ActivityEmulation.WarmupLogins);
        var run = await emulation.RunUnitAsync(url, UserId, UserName, logins);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"in memory (driver + activity emulation + handler, no sockets or Kestrel): {run.LoginsPerSecond:F0} logins/s, {run.Time.TotalMilliseconds * 1000 / logins:F1} us and {run.Allocated / (double)logins:F0} B per login"));
    }

    /// <summary>Sequential no-op POSTs exactly as <c>HttpFloorProbe</c> sends them; returns each request's milliseconds.</summary>
    private static async Task<List<double>> PostNoopAsync(HttpClient client, Uri url, byte[] body, int count)
    {
        var ms = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var request = StateFunDriver.NewRequest(url, body, functionKey: null);
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            response.EnsureSuccessStatusCode();
            ms.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return ms;
    }

    // Nearest-rank percentile over sorted values.
    internal static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>Answers the driver's POSTs with the handler directly, as the endpoint would, without any I/O.</summary>
    private sealed class InMemoryStateFunHandler(RequestReplyHandler handler) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var reply = await handler.HandleAsync(body, cancellationToken).ConfigureAwait(false);
            var content = new ByteArrayContent(reply);
            // As a header arrives from the wire: a raw string, parsed only if someone asks for the typed value.
            content.Headers.TryAddWithoutValidation("Content-Type", StateFunHttpEndpoint.ContentType);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        }
    }
}

/// <summary>A measured piece of work: its result, wall time, bytes allocated by the whole process and GC counts.</summary>
internal readonly record struct Measured<T>(T Value, TimeSpan Elapsed, long Allocated, int Gen0, int Gen1, int Gen2);

internal static class Measured
{
    public static async Task<Measured<T>> RunAsync<T>(Func<Task<T>> work)
    {
        var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var value = await work().ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new Measured<T>(
            value, elapsed, GC.GetTotalAllocatedBytes(precise: true) - allocated,
            GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1, GC.CollectionCount(2) - g2);
    }
}

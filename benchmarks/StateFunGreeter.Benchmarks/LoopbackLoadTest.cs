namespace FunctionsBench.StateFun.Benchmarks;

/// <summary>
/// The standalone greeter on loopback, driven by <see cref="StateFunDriver"/> with sequential logins:
/// the same path the bench's <c>statefun</c> scenario takes, minus the orchestration.
/// </summary>
internal static class LoopbackLoadTest
{
    public const int DefaultLogins = 10_000;
    private const int WarmupLogins = 2_000;

    public static async Task RunAsync(int logins)
    {
        await using var server = await StateFunServer.StartAsync(port: 0, bindAddress: "127.0.0.1");
        using var client = new HttpClient();
        var driver = new StateFunDriver(client);

        // The warm-up also performs the state handshake, so the measured run is steady-state: 2 requests per login.
        var warm = await driver.RunChunkAsync(new StateFunChunkRequest(server.BaseAddress, "bench", "Joe", 1, WarmupLogins, new StateFunRuntimeState()));
        var requestsBefore = warm.State.HttpRequests;

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var started = TimeProvider.System.GetTimestamp();
        var result = await driver.RunChunkAsync(new StateFunChunkRequest(server.BaseAddress, "bench", "Joe", WarmupLogins + 1, logins, warm.State));
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        var requests = result.State.HttpRequests - requestsBefore;
        var latencies = result.Logins.Select(l => l.ElapsedMs).Order().ToArray();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"StateFun greeter, loopback, sequential: {logins} logins ({requests} HTTP requests) in {elapsed.TotalSeconds:F3} s after {WarmupLogins} warm-up logins"));
        Console.WriteLine(string.Create(inv, $"  logins/s   {logins / elapsed.TotalSeconds,10:F0}"));
        Console.WriteLine(string.Create(inv, $"  requests/s {requests / elapsed.TotalSeconds,10:F0}"));
        Console.WriteLine(string.Create(inv, $"  login latency ms: p50 {Percentile(latencies, 0.50):F3}  p90 {Percentile(latencies, 0.90):F3}  p99 {Percentile(latencies, 0.99):F3}  max {latencies[^1]:F3}"));
        // Whole process: Kestrel, the endpoint and handler, HttpClient and the driver together.
        Console.WriteLine(string.Create(inv, $"  allocated per HTTP request, whole process (server + client + driver): {allocated / (double)requests / 1024:F2} KB"));
        Console.WriteLine(string.Create(inv, $"  last greeting (seen {result.Logins[^1].SeenCount}): {result.Logins[^1].Greeting}"));
    }

    // Nearest-rank percentile over sorted values.
    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

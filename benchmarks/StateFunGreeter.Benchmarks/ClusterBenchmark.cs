namespace FunctionsBench.StateFun.Benchmarks;

/// <summary>
/// A real StateFun cluster running the greeter, through the playground's HTTP ingress and egress
/// (<see cref="StateFunClusterDriver"/>): sequential logins, each timed from the ingress PUT to the greeting read
/// from the egress. Prints logins/s, latency percentiles and egress polls per login.
/// </summary>
internal static class ClusterBenchmark
{
    public const int DefaultLogins = 1_000;

    /// <returns>0, or 1 when a login failed (the error is printed).</returns>
    public static async Task<int> RunAsync(Uri ingress, Uri egress, int logins, string userId, TimeSpan pollInterval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(logins, 1);
        using var client = new HttpClient();
        var driver = new StateFunClusterDriver(client);
        var inv = CultureInfo.InvariantCulture;
        try
        {
            var result = await driver.RunAsync(new StateFunClusterRequest(ingress, egress, userId, "Joe", 1, logins, TimeSpan.FromSeconds(60), pollInterval));
            var latencies = result.Logins.Select(l => l.ElapsedMs).Order().ToArray();
            var span = (result.Logins[^1].EndUtc - result.Logins[0].StartUtc).TotalSeconds;
            Console.WriteLine(string.Create(inv, $"StateFun cluster, ingress {ingress}, egress {egress}: {logins} sequential logins of user '{userId}' ({result.DrainedRecords} old records drained first)"));
            Console.WriteLine(string.Create(inv, $"  logins/s   {logins / span,10:F1}"));
            Console.WriteLine(string.Create(inv, $"  login latency ms: p50 {ActivityBenchmark.Percentile(latencies, 0.5):F2}  p90 {ActivityBenchmark.Percentile(latencies, 0.9):F2}  p99 {ActivityBenchmark.Percentile(latencies, 0.99):F2}  max {latencies[^1]:F2}"));
            Console.WriteLine(string.Create(inv, $"  egress polls per login {result.EgressPolls / (double)logins:F1} (poll interval {pollInterval.TotalMilliseconds:F0} ms); seen counts {result.Logins[0].SeenCount}..{result.Logins[^1].SeenCount}"));
            return 0;
        }
        catch (Exception e) when (e is StateFunDriverException or HttpRequestException)
        {
            Console.Error.WriteLine("cluster: " + e.GetType().Name + ": " + e.Message);
            return 1;
        }
    }
}

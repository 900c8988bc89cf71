namespace FunctionsBench.StateFun.Benchmarks;

/// <summary>
/// Two StateFun endpoints through the same driver, interleaved: each round runs one unit of logins against each, chunk
/// by chunk in turns, as the bench's activity runs them (<see cref="ActivityEmulation"/>). Prints per round each side's
/// logins/s and latencies and the ratio A/B, then the mean ratio. Both endpoints serve both greeter functions.
/// </summary>
internal static class EndpointComparison
{
    public const int DefaultRounds = 5;
    public const int DefaultLogins = 10_000;

    /// <returns>0, or 1 when a login failed (the error is printed).</returns>
    public static async Task<int> RunAsync(string nameA, Uri a, string nameB, Uri b, int rounds, int logins)
    {
        // The bench's StateFun client (Hosting/BenchServices.cs).
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        var emulation = new ActivityEmulation(new StateFunDriver(client));
        var inv = CultureInfo.InvariantCulture;
        try
        {
            // Both servers and the driver compile and tier up, and a JIT of V8's or .NET's settles, before anything counts.
            var warmupStarted = Stopwatch.GetTimestamp();
            for (var i = 0; Stopwatch.GetElapsedTime(warmupStarted) < ActivityEmulation.WarmupTime; i++)
            {
                await emulation.RunUnitAsync(a, "warmup-" + i, "Joe", ActivityEmulation.WarmupLogins);
                await emulation.RunUnitAsync(b, "warmup-" + i, "Joe", ActivityEmulation.WarmupLogins);
            }

            Console.WriteLine(string.Create(inv, $"{rounds} rounds of {logins} logins per side (chunks of {ActivityEmulation.ChunkSize}, the two sides in turns); {nameA}: {a}; {nameB}: {b}"));
            Console.WriteLine(string.Create(inv, $"round  {nameA + " logins/s",14}  {"p50/p99 ms",13}  {nameB + " logins/s",14}  {"p50/p99 ms",13}  {nameA + "/" + nameB,8}"));
            var ratios = new List<double>();
            for (var round = 1; round <= rounds; round++)
            {
                // Chunk by chunk in turns, A first on even chunks and B first on odd ones, so both see the same load.
                var unitA = emulation.StartUnit(a, "round-" + round, "Joe", logins);
                var unitB = emulation.StartUnit(b, "round-" + round, "Joe", logins);
                for (var turn = 0; !unitA.Done; turn++)
                {
                    await (turn % 2 == 0 ? unitA : unitB).NextChunkAsync();
                    await (turn % 2 == 0 ? unitB : unitA).NextChunkAsync();
                }

                var (rateA, p50A, p99A) = Summarize(unitA.Result);
                var (rateB, p50B, p99B) = Summarize(unitB.Result);
                ratios.Add(rateA / rateB);
                Console.WriteLine(string.Create(inv,
                    $"{round,5}  {rateA,14:F0}  {p50A,6:F3}/{p99A,6:F3}  {rateB,14:F0}  {p50B,6:F3}/{p99B,6:F3}  {rateA / rateB,8:F2}"));
            }

            Console.WriteLine(string.Create(inv, $"mean {nameA}/{nameB} {ratios.Average():F2} (min {ratios.Min():F2}, max {ratios.Max():F2}) over {rounds} rounds"));
            return 0;
        }
        catch (Exception e) when (e is StateFunDriverException or HttpRequestException)
        {
            Console.Error.WriteLine("compare: " + e.GetType().Name + ": " + e.Message);
            return 1;
        }
    }

    private static (double LoginsPerSecond, double P50, double P99) Summarize(UnitRun run)
    {
        var latencies = run.Records.Select(r => r.LatencyMs).Order().ToArray();
        return (run.LoginsPerSecond, ActivityBenchmark.Percentile(latencies, 0.5), ActivityBenchmark.Percentile(latencies, 0.99));
    }
}

namespace FunctionsBench.Faults.Tests;

/// <summary>
/// Storage that fails now and then (issue 12, item 2): a fault proxy between the host and Azurite answers 5% of the
/// provider's requests with 503 ServerBusy, 500, a reset connection or a 2 s delay. The run completes with exactly N
/// records per unit, and the host's storage request log counts every attempt the proxy saw, retries included.
/// </summary>
public sealed class StorageFaultInjectionTests(ITestOutputHelper output)
{
    private const int Invocations = 100;
    private const double FaultRate = 0.05;
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Run_FivePercentOfStorageRequestsFaulted_CompletesWithExactlyNRecordsAndTheLogCountsEveryAttempt()
    {
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TestTimeout);
        await using TestAzurite azurite = await TestAzurite.StartAsync("faults");
        await using FaultProxy proxy = await FaultProxy.StartAsync(azurite, FaultRate);
        var logs = new LogCapture();
        await using EmbeddedWebHost host = await FaultHosts.StartAsync(proxy.ConnectionString, "faults", logs);
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        BenchUnit[] units = [new(Scenarios.DfActivity, Invocations, 1), new(Scenarios.DfEntity, Invocations, 1)];

        string id = await BenchRuns.StartAsync(http, new { scenarios = units.Select(u => u.Scenario), invocations = new[] { Invocations }, warmup = 0 }, timeout.Token);
        await BenchRuns.WaitForCompletionAsync(http, id, timeout.Token, () => string.Join('\n', logs.Messages.TakeLast(30)));
        (ResultsDocument results, IReadOnlyList<EventRecord> events) = await BenchRuns.AssertEveryRecordOnceAsync(http, id, units, timeout.Token);

        // Stopped, the host sends nothing more: both counts now cover the same requests.
        await host.StopAsync();
        IReadOnlyList<StorageAttempt> attempts = host.StorageRequests.Attempts();
        IReadOnlyDictionary<StorageFault, int> injected = proxy.Injected;
        int answered5xx = attempts.Count(a => a.Status >= 500);
        int noResponse = attempts.Count(a => a.Status is null);
        IReadOnlyList<StorageFaultCount> faults = StorageFaults.PerUnit(attempts, events);
        foreach (ScenarioResult r in results.Results)
        {
            StorageFaultCount f = faults.Single(c => c.Scenario == r.Scenario);
            output.WriteLine($"{r.Scenario} N={r.Invocations}: {r.ExecutionSeconds:0.0} s, {r.InvocationsPerSecond:0.0} inv/s; failed requests in the unit {f.Failed} ({f.NoResponse} no response), longest gap {f.LongestGapSeconds:0.00} s");
        }

        output.WriteLine($"proxy: {proxy.Requests} requests, injected {string.Join(", ", injected.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}, " +
            $"upstream failures {proxy.UpstreamFailures}; {proxy.FaultedOperations} operations failed, {proxy.RetriedOperations} of them retried");
        output.WriteLine($"host's log: {attempts.Count} attempts, {answered5xx} answered 5xx, {noResponse} without a response; {clock.Elapsed.TotalSeconds:0} s in all");

        // Every kind of fault happened, and every fault answered reached the host's log as the failure it was.
        Assert.All(Enum.GetValues<StorageFault>(), kind => Assert.True(injected.GetValueOrDefault(kind) > 0, $"no {kind} injected: {string.Join(", ", injected)}"));
        int faultsAnswered = injected[StorageFault.ServerBusy] + injected[StorageFault.InternalError];
        Assert.InRange(answered5xx, faultsAnswered, faultsAnswered + proxy.UpstreamFailures);
        Assert.True(noResponse >= injected[StorageFault.Reset], $"{noResponse} attempts without a response for {injected[StorageFault.Reset]} resets");

        // The log counts attempts, not operations: what the proxy saw, retries included (a reset on a reused connection may
        // be resent by the HTTP handler itself, below the log, which the upper bound allows).
        Assert.InRange(attempts.Count, proxy.Requests - injected[StorageFault.Reset], proxy.Requests + noResponse);
        Assert.True(proxy.RetriedOperations >= 0.9 * proxy.FaultedOperations, $"{proxy.RetriedOperations} of {proxy.FaultedOperations} failed operations were retried");
        Assert.True(faults.Sum(f => f.Failed) > 0, "no failed request fell inside a unit");
        Assert.All(faults, f => Assert.False(f.IncludesOutage, $"{f}: scattered faults are not an outage"));
    }
}

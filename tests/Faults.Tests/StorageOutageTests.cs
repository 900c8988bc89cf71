namespace FunctionsBench.Faults.Tests;

/// <summary>
/// Storage that goes away: 6 s into a run (or, on a slow machine, once the first unit's invocations run) storage stops
/// answering for 15 s (every connection to it reset, through <see cref="FaultProxy"/>), then answers again. The run
/// completes with exactly N records per unit, the host logged the outage, and the per-unit storage-fault analysis that
/// <c>./bench run</c> writes into inspection.json and the report says the unit's time includes it.
/// </summary>
/// <remarks>
/// The outage is made in front of Azurite rather than by killing it: Azurite on disk saves its queues and tables every
/// 5 s, so a SIGKILL loses writes it had acknowledged, which no storage account does and which the extension's
/// guarantees do not cover (one run in four then stuck). <c>scripts/crash-check --kill outage</c> kills Azurite itself.
/// </remarks>
public sealed class StorageOutageTests(ITestOutputHelper output)
{
    private const int Invocations = 1000;
    private static readonly TimeSpan OutageAfter = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Run_StorageUnreachableSixSecondsInForFifteen_CompletesWithExactlyNRecordsAndReportsTheOutage()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        await using TestAzurite azurite = await TestAzurite.StartAsync("outage");
        await using FaultProxy storage = await FaultProxy.StartAsync(azurite, probability: 0);
        var logs = new LogCapture();
        await using EmbeddedWebHost host = await FaultHosts.StartAsync(storage.ConnectionString, "outage", logs);
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        BenchUnit[] units = [new(Scenarios.DfActivity, Invocations, 1), new(Scenarios.DfEntity, Invocations, 1)];

        var clock = Stopwatch.StartNew();
        string id = await BenchRuns.StartAsync(http, new { scenarios = units.Select(u => u.Scenario), invocations = new[] { Invocations }, warmup = 0 }, timeout.Token);
        // 6 s in, and not before the first unit's invocations run: each unit measures its floor first, which on a
        // loaded machine can take longer, and an outage there would not be in any unit's time.
        await Task.Delay(OutageAfter, timeout.Token);
        // The first progress comes as a segment ends and the next starts; 2 s later the next is well under way.
        await BenchRuns.WaitForAsync(http, id, p => p.Phase == "units" && p.UnitDone > 0, "the first unit's invocations", timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);
        RunProgress atOutage = await BenchRuns.ReadProgressAsync(http, id, timeout.Token);
        storage.BeginOutage();
        TimeSpan downAt = clock.Elapsed;
        await Task.Delay(Down, timeout.Token);
        storage.EndOutage();
        TimeSpan backAt = clock.Elapsed;

        await BenchRuns.WaitForCompletionAsync(http, id, timeout.Token, () => string.Join('\n', logs.Messages.TakeLast(30)));
        TimeSpan completedAt = clock.Elapsed;
        (ResultsDocument results, IReadOnlyList<EventRecord> events) = await BenchRuns.AssertEveryRecordOnceAsync(http, id, units, timeout.Token);
        await host.StopAsync();

        IReadOnlyList<StorageFaultCount> faults = StorageFaults.PerUnit(host.StorageRequests.Attempts(), events);
        output.WriteLine($"storage down at {downAt.TotalSeconds:0.0} s ({atOutage}), back at {backAt.TotalSeconds:0.0} s, completed at {completedAt.TotalSeconds:0.0} s");
        foreach (ScenarioResult r in results.Results)
        {
            StorageFaultCount f = faults.Single(c => c.Scenario == r.Scenario);
            output.WriteLine($"{r.Scenario} N={r.Invocations}: recorded {r.Recorded}, {r.ExecutionSeconds:0.0} s; {f.Failed} failed requests ({f.NoResponse} no response), longest gap {f.LongestGapSeconds:0.0} s; note: {StorageFaults.Describe(f) ?? "none"}");
        }

        foreach (string line in logs.Containing("Storage "))
        {
            output.WriteLine(line);
        }

        // The kill fell inside a unit, and that unit's figures say they include an outage about as long as Azurite was down.
        Assert.True(atOutage.Phase == "units" && atOutage.UnitDone > 0 && atOutage.IsRunning, $"The outage began outside the units: {atOutage}");
        StorageFaultCount outage = Assert.Single(faults, f => f.IncludesOutage);
        Assert.InRange(outage.LongestGapSeconds, Down.TotalSeconds - 2, Down.TotalSeconds + 60);
        Assert.Contains("includes a storage outage", StorageFaults.Describe(outage), StringComparison.Ordinal);
        Assert.True(results.Results.Single(r => r.Scenario == outage.Scenario).ExecutionSeconds >= Down.TotalSeconds - 2, "the unit's time does not hold the outage");

        // The host said so while it happened.
        Assert.NotEmpty(logs.Containing("Storage has not answered since"));
        Assert.NotEmpty(logs.Containing("Storage answers again after an outage"));
    }
}

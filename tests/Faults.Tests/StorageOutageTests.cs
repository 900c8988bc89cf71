using System.Diagnostics;
using FunctionsBench.BenchOrchestrator;
using FunctionsBench.Embedded;
using FunctionsBench.Testing;
using Xunit.Abstractions;

namespace FunctionsBench.Faults.Tests;

/// <summary>
/// Storage that goes away (issue 12, item 1): Azurite on disk is killed 6 s into a run (or, on a slow machine, once the
/// first unit's invocations run), stays down 15 s and is started
/// again on the same data folder. The run completes with exactly N records per unit, the host logged the outage, and
/// the per-unit storage-fault analysis that <c>./bench run</c> writes into inspection.json and the report says the unit's
/// time includes it.
/// </summary>
public sealed class StorageOutageTests(ITestOutputHelper output)
{
    private const int Invocations = 1000;
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Run_AzuriteKilledSixSecondsInAndDownFifteen_CompletesWithExactlyNRecordsAndReportsTheOutage()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        await using TestAzurite azurite = await TestAzurite.StartAsync("outage");
        var logs = new LogCapture();
        await using EmbeddedWebHost host = await FaultHosts.StartAsync(azurite.ConnectionString, "outage", logs);
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        BenchUnit[] units = [new(Scenarios.DfActivity, Invocations, 1), new(Scenarios.DfEntity, Invocations, 1)];

        var clock = Stopwatch.StartNew();
        string id = await BenchRuns.StartAsync(http, new { scenarios = units.Select(u => u.Scenario), invocations = new[] { Invocations }, warmup = 0 }, timeout.Token);
        // 6 s in, and not before the first unit's invocations run: each unit measures its floor first, which on a
        // loaded machine can take longer, and an outage there would not be in any unit's time.
        await Task.Delay(KillAfter, timeout.Token);
        // The first progress comes as a segment ends and the next starts; 2 s later the next is well under way (a kill
        // at the boundary loses the new segment's start with Azurite's last unsaved seconds, see the README).
        await BenchRuns.WaitForAsync(http, id, p => p.Phase == "units" && p.UnitDone > 0, "the first unit's invocations", timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);
        RunProgress atKill = await BenchRuns.ReadProgressAsync(http, id, timeout.Token);
        await azurite.KillAsync();
        TimeSpan killedAt = clock.Elapsed;
        await Task.Delay(Down, timeout.Token);
        await azurite.RestartAsync();
        TimeSpan restartedAt = clock.Elapsed;

        await BenchRuns.WaitForCompletionAsync(http, id, timeout.Token, () => string.Join('\n', logs.Messages.TakeLast(30)));
        TimeSpan completedAt = clock.Elapsed;
        (ResultsDocument results, IReadOnlyList<EventRecord> events) = await BenchRuns.AssertEveryRecordOnceAsync(http, id, units, timeout.Token);
        await host.StopAsync();

        IReadOnlyList<StorageFaultCount> faults = StorageFaults.PerUnit(host.StorageRequests.Attempts(), events);
        output.WriteLine($"killed at {killedAt.TotalSeconds:0.0} s ({atKill}), restarted at {restartedAt.TotalSeconds:0.0} s, completed at {completedAt.TotalSeconds:0.0} s");
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
        Assert.True(atKill.Phase == "units" && atKill.UnitDone > 0 && atKill.IsRunning, $"Azurite was killed outside the units: {atKill}");
        StorageFaultCount outage = Assert.Single(faults, f => f.IncludesOutage);
        Assert.InRange(outage.LongestGapSeconds, Down.TotalSeconds - 2, Down.TotalSeconds + 60);
        Assert.Contains("includes a storage outage", StorageFaults.Describe(outage), StringComparison.Ordinal);
        Assert.True(results.Results.Single(r => r.Scenario == outage.Scenario).ExecutionSeconds >= Down.TotalSeconds - 2, "the unit's time does not hold the outage");

        // The host said so while it happened.
        Assert.NotEmpty(logs.Containing("Storage has not answered since"));
        Assert.NotEmpty(logs.Containing("Storage answers again after an outage"));
    }
}

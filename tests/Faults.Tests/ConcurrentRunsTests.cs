using FunctionsBench.BenchOrchestrator.History;
using FunctionsBench.Embedded.Run;

namespace FunctionsBench.Faults.Tests;

/// <summary>
/// Two runs at once on one host (issue 12, item 4): each completes with its own exact records, read from its own
/// timings entities, and the History check finds each run's own rows. The runs have different N, so a record of one
/// in the other's entities, or a History row matched to the wrong run, shows as a unit that should not be there.
/// </summary>
public sealed class ConcurrentRunsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task TwoRuns_PostedAtOnceOnOneHost_EachHasExactlyItsOwnRecordsAndHistory()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        await using TestAzurite azurite = await TestAzurite.StartAsync("concurrent");
        var logs = new LogCapture();
        await using EmbeddedWebHost host = await FaultHosts.StartAsync(azurite.ConnectionString, "concurrent", logs);
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        string[] scenarios = [Scenarios.DfActivity, Scenarios.DfEntity];
        int[] sizes = [300, 200];

        // Both with the default user, as two people starting the bench would.
        string[] ids = await Task.WhenAll(sizes.Select(n => BenchRuns.StartAsync(http, new { scenarios, invocations = new[] { n }, warmup = 0 }, timeout.Token)));
        await Task.WhenAll(ids.Select(id => BenchRuns.WaitForCompletionAsync(http, id, timeout.Token, () => string.Join('\n', logs.Messages.TakeLast(30)))));

        var runs = new List<(ResultsDocument Results, IReadOnlyList<EventRecord> Events)>();
        for (int i = 0; i < ids.Length; i++)
        {
            BenchUnit[] units = [.. scenarios.Select(s => new BenchUnit(s, sizes[i], 1))];
            (ResultsDocument results, IReadOnlyList<EventRecord> events) run = await BenchRuns.AssertEveryRecordOnceAsync(http, ids[i], units, timeout.Token);
            runs.Add(run);
            HistoryCheck history = await RunInspection.CheckHistoryAsync(
                new TaskHubStorage(azurite.ConnectionString, host.TaskHubName), host.TaskHubName, run.results, run.events, timeout.Token);
            output.WriteLine($"run {ids[i]} N={sizes[i]}: {string.Join("; ", run.results.Results.Select(r => $"{r.Scenario} {r.ExecutionSeconds:0.00} s recorded {r.Recorded}"))}; " +
                $"History {history.Rows} rows, {string.Join("; ", history.Results.Select(h => $"{h.Scenario} matched {h.Matched}/{h.Recorded}"))}");
            Assert.True(history.Available, string.Join(" ", history.Notes));
            Assert.Equal(units.ToHashSet(), history.Results.Select(h => new BenchUnit(h.Scenario, h.Invocations, h.Repetition)).ToHashSet());
            Assert.All(history.Results, h => Assert.True(h.Matched == sizes[i] && h.Recorded == sizes[i], $"run {i}: {h}"));
        }

        // They did run at once: some unit of one overlaps some unit of the other.
        (DateTime From, DateTime To)[] Windows(IReadOnlyList<EventRecord> events) =>
            [.. events.GroupBy(e => e.Scenario).Select(g => (g.Min(e => e.Start), g.Max(e => e.End)))];
        bool overlap = Windows(runs[0].Events).Any(a => Windows(runs[1].Events).Any(b => a.From < b.To && b.From < a.To));
        Assert.True(overlap, "the two runs' units did not overlap in time: nothing concurrent was tested");
    }
}

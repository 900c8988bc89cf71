using FunctionsBench.BenchOrchestrator;
using FunctionsBench.BenchOrchestrator.History;

namespace FunctionsBench.Tests;

/// <summary>
/// The History cross-check on History rows laid out as the Azure Storage provider writes them (one episode per
/// invocation: OrchestratorStarted, the previous call's answer, the next call, OrchestratorCompleted).
/// </summary>
public class HistoryMatcherTests
{
    private const string RunId = "run1";
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Check_SingleGenerationOfActivityCalls_MatchesEveryInvocationWithFourRowsEach()
    {
        (List<HistoryRow> rows, List<EventRecord> events) = ActivityUnit(20, "exec1");

        HistoryCheckResult result = Assert.Single(HistoryMatcher.Check(Document(Scenarios.DfActivity, 20), events, rows, "hub").Results);

        Assert.Equal(20, result.Recorded);
        Assert.Equal(20, result.Matched);
        Assert.Equal(4, result.EventsPerInvocation);
        Assert.Equal(4.0, result.MeasuredEventsPerInvocation);
        Assert.Equal(0.2, result.StartGapMs!.Median, 6);
        Assert.Equal(3.0, result.EndGapMs!.Median, 6);
        Assert.Null(result.Note);
    }

    [Fact]
    public void Check_LaterGenerationOverwroteTheFirstRows_MatchesTheSurvivorsAndSaysWhy()
    {
        (List<HistoryRow> rows, List<EventRecord> events) = ActivityUnit(20, "exec1");

        // ContinueAsNew: the next generation writes rows 0..9 over the old ones; the rest of exec1 stays.
        rows.RemoveAll(r => r.Sequence < 10);
        rows.AddRange(Enumerable.Range(0, 10).Select(i => new HistoryRow(RunId, i, "exec2", "OrchestratorStarted", T0.AddMinutes(5))));

        HistoryCheck check = HistoryMatcher.Check(Document(Scenarios.DfActivity, 20), events, rows, "hub");
        HistoryCheckResult result = Assert.Single(check.Results);

        // Rows 0..9 held the calls of invocations 0..2 (TaskScheduled at rows 1, 5, 9): the other 17 survive.
        Assert.Equal(17, result.Matched);
        Assert.Equal(4.0, result.MeasuredEventsPerInvocation);
        Assert.Contains("3 of 20 invocations' rows were overwritten", result.Note);
        Assert.Contains("rows of 2 of the 2 executions", check.Notes[0]);
    }

    [Fact]
    public void Check_TimingFlushSignalBetweenCalls_MeasuresMoreRowsThanTheFormulaAndExplainsThem()
    {
        (List<HistoryRow> rows, List<EventRecord> events) = ActivityUnit(11, "exec1", flushAfter: 5);

        HistoryCheckResult result = Assert.Single(HistoryMatcher.Check(Document(Scenarios.DfActivity, 11), events, rows, "hub").Results);

        Assert.Equal(11, result.Matched);
        Assert.Equal(4.1, result.MeasuredEventsPerInvocation!.Value, 6);
        Assert.Contains("flush signals", result.Note);
    }

    [Fact]
    public void Check_EntityCalls_PairsEachLoginWithTheAnswerOfItsRequestId()
    {
        var rows = new List<HistoryRow>();
        var events = new List<EventRecord>();
        string entity = $"@greeterentity@1@{RunId}.5.1";
        long row = 0;
        for (int i = 0; i <= 5; i++)
        {
            DateTime episode = T0.AddMilliseconds(10 * i);
            rows.Add(new HistoryRow(RunId, row++, "exec1", "OrchestratorStarted", episode));
            if (i > 0)
            {
                rows.Add(new HistoryRow(RunId, row++, "exec1", "EventRaised", episode.AddMilliseconds(-4), Name: $"req{i - 1}"));
            }

            string op = i < 5 ? "Login" : "Get";
            rows.Add(new HistoryRow(RunId, row++, "exec1", "EventSent", episode.AddMilliseconds(0.3), EventId: i, Name: "op", TargetInstanceId: entity,
                Input: $$"""{"op":"{{op}}","id":"req{{i}}"}"""));
            rows.Add(new HistoryRow(RunId, row++, "exec1", "OrchestratorCompleted", episode.AddMilliseconds(0.4)));
            if (i < 5)
            {
                events.Add(new EventRecord(Scenarios.DfEntity, 5, 1, i, episode, episode.AddMilliseconds(10), 10));
            }
        }

        HistoryCheckResult result = Assert.Single(HistoryMatcher.Check(Document(Scenarios.DfEntity, 5), events, rows, "hub").Results);

        Assert.Equal(5, result.Matched);
        Assert.Equal(4.0, result.MeasuredEventsPerInvocation);
        Assert.Equal(0.3, result.StartGapMs!.Max, 6);
        Assert.Equal(4.0, result.EndGapMs!.Median, 6);
    }

    [Fact]
    public void Check_SubOrchestrationCallerRowsGone_MatchesOnTheirOwnPartitions()
    {
        var rows = new List<HistoryRow>();
        var events = new List<EventRecord>();
        string[] own = ["OrchestratorStarted", "ExecutionStarted", "TaskScheduled", "OrchestratorCompleted", "OrchestratorStarted", "TaskCompleted", "ExecutionCompleted", "OrchestratorCompleted"];
        for (int i = 0; i < 3; i++)
        {
            DateTime start = T0.AddMilliseconds(50 * i);
            events.Add(new EventRecord(Scenarios.DfSubOrchestration, 3, 1, i, start, start.AddMilliseconds(40), 40));
            string id = HistoryMatcher.SubOrchestrationId(RunId, new BenchUnit(Scenarios.DfSubOrchestration, 3, 1), i);
            rows.AddRange(own.Select((type, k) => new HistoryRow(id, k, "sub" + i, type, start.AddMilliseconds(1 + (4 * k)))));
        }

        HistoryCheckResult result = Assert.Single(HistoryMatcher.Check(Document(Scenarios.DfSubOrchestration, 3), events, rows, "hub").Results);

        Assert.Equal(3, result.Matched);
        Assert.Equal(8.0, result.CalleeEventsPerInvocation);
        Assert.Null(result.MeasuredEventsPerInvocation);
        Assert.Equal(5.0, result.StartGapMs!.Median, 6);
        Assert.Equal(15.0, result.EndGapMs!.Median, 6);
        Assert.Contains("own rows", result.Note);
    }

    [Fact]
    public void Check_NoRowsOfTheControlOrchestration_MatchesNothingAndSaysSo()
    {
        (_, List<EventRecord> events) = ActivityUnit(4, "exec1");

        HistoryCheck check = HistoryMatcher.Check(Document(Scenarios.DfActivity, 4), events, [], "hub");

        Assert.Equal(0, Assert.Single(check.Results).Matched);
        Assert.Contains("no rows of the control orchestration", check.Notes[0]);
    }

    [Fact]
    public void Align_CallsStartMidUnit_PicksTheOffsetWithTheSmallestGaps()
    {
        (_, List<EventRecord> events) = ActivityUnit(30, "exec1");
        var unit = new BenchUnit(Scenarios.DfActivity, 30, 1);
        DateTime[] calls = [.. events.Skip(12).Take(10).Select(e => e.Start.AddMilliseconds(0.2))];

        (BenchUnit Unit, int FirstSequence)? aligned = HistoryMatcher.Align(calls, [(unit, events.ToDictionary(e => e.Sequence))]);

        Assert.Equal((unit, 12), aligned);
    }

    [Fact]
    public void Align_NoRecordedStartNearTheCalls_ReturnsNull()
    {
        (_, List<EventRecord> events) = ActivityUnit(5, "exec1");
        DateTime[] calls = [T0.AddHours(1)];

        Assert.Null(HistoryMatcher.Align(calls, [(new BenchUnit(Scenarios.DfActivity, 5, 1), events.ToDictionary(e => e.Sequence))]));
    }

    [Fact]
    public void GapStatisticsOf_SignedGaps_TakesAbsoluteValues()
    {
        GapStatistics gaps = GapStatistics.Of([-3.0, 1.0, 2.0])!;

        Assert.Equal(2.0, gaps.Median);
        Assert.Equal(3.0, gaps.Max);
        Assert.Null(GapStatistics.Of([]));
    }

    private static ResultsDocument Document(string scenario, int n)
    {
        var settings = new BenchSettings([scenario], [n], 1, BenchModes.Single, 100, 1, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results = [ScenarioResult.From(new BenchUnit(scenario, n, 1), T0, T0.AddSeconds(1), [1.0])];
        return new ResultsDocument(RunId, "embedded", "AzureStorage", T0, T0.AddSeconds(2), settings, results, ScenarioSummary.Of(results));
    }

    /// <summary>
    /// n sequential SayHello calls, one episode each 10 ms: the call row 0.2 ms after the episode's start (the recorded
    /// start), its answer 3 ms before the next episode (the recorded end).
    /// </summary>
    private static (List<HistoryRow> Rows, List<EventRecord> Events) ActivityUnit(int n, string execution, int? flushAfter = null)
    {
        var rows = new List<HistoryRow>();
        var events = new List<EventRecord>();
        long row = 0;
        for (int i = 0; i <= n; i++)
        {
            DateTime episode = T0.AddMilliseconds(10 * i);
            rows.Add(new HistoryRow(RunId, row++, execution, "OrchestratorStarted", episode));
            if (i > 0)
            {
                rows.Add(new HistoryRow(RunId, row++, execution, "TaskCompleted", episode.AddMilliseconds(-3), TaskScheduledId: i - 1));
            }

            if (i == flushAfter)
            {
                rows.Add(new HistoryRow(RunId, row++, execution, "EventSent", episode.AddMilliseconds(0.1), Name: "op", TargetInstanceId: $"@timingsentity@{RunId}/df-activity/{n}/1/0"));
            }

            if (i < n)
            {
                rows.Add(new HistoryRow(RunId, row++, execution, "TaskScheduled", episode.AddMilliseconds(0.2), EventId: i, Name: "SayHello"));
                events.Add(new EventRecord(Scenarios.DfActivity, n, 1, i, episode, episode.AddMilliseconds(10), 10));
            }

            rows.Add(new HistoryRow(RunId, row++, execution, "OrchestratorCompleted", episode.AddMilliseconds(0.3)));
        }

        return (rows, events);
    }
}

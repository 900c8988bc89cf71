using FunctionsBench.BenchOrchestrator.History;

namespace FunctionsBench.Tests;

/// <summary>
/// The History cross-check on History rows laid out as the Azure Storage provider writes them: one partition per
/// segment orchestration, one episode per invocation (OrchestratorStarted, the previous call's answer, the next call,
/// OrchestratorCompleted).
/// </summary>
public class HistoryMatcherTests
{
    private const string RunId = "run1";
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Check_CheckpointedActivityUnit_MatchesEveryInvocationOfEverySegmentWithFourRowsEach()
    {
        var unit = new BenchUnit(Scenarios.DfActivity, 20, 1);
        var rows = new List<HistoryRow>();
        var events = new List<EventRecord>();
        for (int k = 0; k < 4; k++)
        {
            (List<HistoryRow> segmentRows, List<EventRecord> segmentEvents) = ActivitySegment(unit, k, first: 5 * k, count: 5);
            rows.AddRange(segmentRows);
            events.AddRange(segmentEvents);
        }

        HistoryCheck check = HistoryMatcher.Check(Document(unit, BenchModes.Checkpointed, checkpointEvery: 5), events, rows, "hub");
        HistoryCheckResult result = Assert.Single(check.Results);

        Assert.Equal((20, 20), (result.Recorded, result.Matched));
        Assert.Equal(4.0, result.MeasuredEventsPerInvocation);
        Assert.Equal(0.2, result.StartGapMs!.Median, 6);
        Assert.Equal(3.0, result.EndGapMs!.Median, 6);
        Assert.Null(result.Note);
        Assert.Contains("4 of the 4 segment orchestrations", check.Notes[0]);
    }

    [Fact]
    public void Check_SegmentNumbersItsCallsFromItsFirstSequence()
    {
        var unit = new BenchUnit(Scenarios.DfActivity, 10, 1);
        (List<HistoryRow> rows, List<EventRecord> events) = ActivitySegment(unit, segment: 1, first: 5, count: 5);

        // The first segment's rows are gone (purged): its five invocations cannot match; the second's do, by their own numbers.
        events.AddRange(Enumerable.Range(0, 5).Select(i => new EventRecord(unit.Scenario, 10, 1, i, T0.AddHours(1), T0.AddHours(1).AddMilliseconds(1), 1)));
        HistoryCheckResult result = SingleResult(Document(unit, BenchModes.Checkpointed, checkpointEvery: 5), events, rows);

        Assert.Equal((10, 5), (result.Recorded, result.Matched));
        Assert.Equal(0.2, result.StartGapMs!.Max, 6);
        Assert.Contains("5 of 10 recorded invocations have no call and answer rows", result.Note);
    }

    [Fact]
    public void Check_TimingFlushSignalBetweenCalls_MeasuresMoreRowsThanTheFormulaAndExplainsThem()
    {
        var unit = new BenchUnit(Scenarios.DfActivity, 11, 1);
        (List<HistoryRow> rows, List<EventRecord> events) = ActivitySegment(unit, 0, 0, 11, flushAfter: 5);

        HistoryCheckResult result = SingleResult(Document(unit, BenchModes.Single), events, rows);

        Assert.Equal(11, result.Matched);
        Assert.Equal(4.1, result.MeasuredEventsPerInvocation!.Value, 6);
        Assert.Contains("flush signals", result.Note);
    }

    [Fact]
    public void Check_EntityCalls_PairsEachLoginWithTheAnswerOfItsRequestId()
    {
        var unit = new BenchUnit(Scenarios.DfEntity, 5, 1);
        string segment = InstanceIds.Segment(RunId, unit, 0);
        string entity = "@greeterentity@" + InstanceIds.GreeterKey("1", RunId, unit);
        var rows = new List<HistoryRow>();
        var events = new List<EventRecord>();
        long row = 0;
        for (int i = 0; i <= 5; i++)
        {
            DateTime episode = T0.AddMilliseconds(10 * i);
            rows.Add(new HistoryRow(segment, row++, "exec1", "OrchestratorStarted", episode));
            if (i > 0)
            {
                rows.Add(new HistoryRow(segment, row++, "exec1", "EventRaised", episode.AddMilliseconds(-4), Name: $"req{i - 1}"));
            }

            if (i < 5)
            {
                rows.Add(new HistoryRow(segment, row++, "exec1", "EventSent", episode.AddMilliseconds(0.3), EventId: i, Name: "op", TargetInstanceId: entity,
                    Input: $$"""{"op":"Login","id":"req{{i}}"}"""));
                events.Add(new EventRecord(Scenarios.DfEntity, 5, 1, i, episode, episode.AddMilliseconds(10), 10));
            }

            rows.Add(new HistoryRow(segment, row++, "exec1", "OrchestratorCompleted", episode.AddMilliseconds(0.4)));
        }

        HistoryCheckResult result = SingleResult(Document(unit, BenchModes.Single), events, rows);

        Assert.Equal(5, result.Matched);
        Assert.Equal(4.0, result.MeasuredEventsPerInvocation);
        Assert.Equal(0.3, result.StartGapMs!.Max, 6);
        Assert.Equal(4.0, result.EndGapMs!.Median, 6);
    }

    [Fact]
    public void Check_SubOrchestrationCalls_MatchByTheInvocationTheirIdNamesAndCountTheCalleesRows()
    {
        var unit = new BenchUnit(Scenarios.DfSubOrchestration, 3, 1);
        string segment = InstanceIds.Segment(RunId, unit, 0);
        string[] own = ["OrchestratorStarted", "ExecutionStarted", "TaskScheduled", "OrchestratorCompleted", "OrchestratorStarted", "TaskCompleted", "ExecutionCompleted", "OrchestratorCompleted"];
        var rows = new List<HistoryRow>();
        var events = new List<EventRecord>();
        long row = 0;
        foreach (int i in new[] { 2, 0, 1 })
        {
            // Out of order on purpose: a sub-orchestration call is numbered by its instance id, not by its place.
            DateTime start = T0.AddMilliseconds(50 * i);
            string callee = InstanceIds.SubOrchestration(RunId, unit, i);
            rows.Add(new HistoryRow(segment, row++, "exec1", "SubOrchestrationInstanceCreated", start.AddMilliseconds(0.5), EventId: i, TargetInstanceId: callee));
            rows.Add(new HistoryRow(segment, row++, "exec1", "SubOrchestrationInstanceCompleted", start.AddMilliseconds(35), TaskScheduledId: i));
            rows.AddRange(own.Select((type, k) => new HistoryRow(callee, k, "sub" + i, type, start.AddMilliseconds(1 + (4 * k)))));
            events.Add(new EventRecord(Scenarios.DfSubOrchestration, 3, 1, i, start, start.AddMilliseconds(40), 40));
        }

        HistoryCheckResult result = SingleResult(Document(unit, BenchModes.Single), events, rows);

        Assert.Equal(3, result.Matched);
        Assert.Equal(8.0, result.CalleeEventsPerInvocation);
        Assert.Equal(0.5, result.StartGapMs!.Median, 6);
        Assert.Equal(5.0, result.EndGapMs!.Median, 6);
    }

    [Fact]
    public void Check_NoRows_MatchesNothingAndSaysSo()
    {
        var unit = new BenchUnit(Scenarios.DfActivity, 4, 1);
        (_, List<EventRecord> events) = ActivitySegment(unit, 0, 0, 4);

        HistoryCheck check = HistoryMatcher.Check(Document(unit, BenchModes.Single), events, [], "hub");

        Assert.Equal(0, Assert.Single(check.Results).Matched);
        Assert.Contains("0 of the 1 segment", check.Notes[0]);
    }

    [Fact]
    public void Check_StateFunOnlyRun_MatchesNothingAndSaysThereIsNothingToMatch()
    {
        var unit = new BenchUnit(Scenarios.StateFun, 2, 1);
        EventRecord[] events = [new(unit.Scenario, 2, 1, 1, T0, T0.AddMilliseconds(1), 1), new(unit.Scenario, 2, 1, 2, T0.AddMilliseconds(1), T0.AddMilliseconds(2), 1)];

        HistoryCheck check = HistoryMatcher.Check(Document(unit, BenchModes.Checkpointed), events, [], "hub");

        Assert.Empty(check.Results);
        Assert.Equal([HistoryMatcher.NoDurableUnit], check.Notes);
    }

    [Fact]
    public void GapStatisticsOf_SignedGaps_TakesAbsoluteValues()
    {
        GapStatistics gaps = GapStatistics.Of([-3.0, 1.0, 2.0])!;

        Assert.Equal(2.0, gaps.Median);
        Assert.Equal(3.0, gaps.Max);
        Assert.Null(GapStatistics.Of([]));
    }

    /// <summary>The check of a run of one unit, which must give one result.</summary>
    private static HistoryCheckResult SingleResult(ResultsDocument document, List<EventRecord> events, List<HistoryRow> rows)
        => Assert.Single(HistoryMatcher.Check(document, events, rows, "hub").Results);

    private static ResultsDocument Document(BenchUnit unit, string mode, int checkpointEvery = 100)
    {
        var settings = new BenchSettings([unit.Scenario], [unit.Invocations], 1, mode, checkpointEvery, 1, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results = [ScenarioResult.From(unit, T0, T0.AddSeconds(1), [1.0])];
        return new ResultsDocument(RunId, "embedded", "AzureStorage", T0, T0.AddSeconds(2), settings, results, ScenarioSummary.Of(results));
    }

    /// <summary>
    /// A segment of SayHello calls, one episode each 10 ms: the call row 0.2 ms after the episode's start (the recorded
    /// start), its answer 3 ms before the next episode (the recorded end).
    /// </summary>
    private static (List<HistoryRow> Rows, List<EventRecord> Events) ActivitySegment(BenchUnit unit, int segment, int first, int count, int? flushAfter = null)
    {
        string id = InstanceIds.Segment(RunId, unit, segment);
        var rows = new List<HistoryRow>();
        var events = new List<EventRecord>();
        long row = 0;
        for (int i = 0; i <= count; i++)
        {
            DateTime episode = T0.AddMinutes(segment).AddMilliseconds(10 * i);
            rows.Add(new HistoryRow(id, row++, "exec" + segment, "OrchestratorStarted", episode));
            if (i > 0)
            {
                rows.Add(new HistoryRow(id, row++, "exec" + segment, "TaskCompleted", episode.AddMilliseconds(-3), TaskScheduledId: i - 1));
            }

            if (i == flushAfter)
            {
                rows.Add(new HistoryRow(id, row++, "exec" + segment, "EventSent", episode.AddMilliseconds(0.1), Name: "op", TargetInstanceId: "@timingsentity@" + InstanceIds.TimingsKey(RunId, unit, 0)));
            }

            if (i < count)
            {
                rows.Add(new HistoryRow(id, row++, "exec" + segment, "TaskScheduled", episode.AddMilliseconds(0.2), EventId: i, Name: "SayHello"));
                events.Add(new EventRecord(unit.Scenario, unit.Invocations, 1, first + i, episode, episode.AddMilliseconds(10), 10));
            }

            rows.Add(new HistoryRow(id, row++, "exec" + segment, "OrchestratorCompleted", episode.AddMilliseconds(0.3)));
        }

        return (rows, events);
    }
}

using FunctionsBench.BenchOrchestrator.History;
using FunctionsBench.BenchOrchestrator.Report;
using FunctionsBench.BenchOrchestrator.Report.Svg;

namespace FunctionsBench.Tests;

/// <summary>The report's History cross-check, queue depths and axes.</summary>
public class ReportHistoryAndAxesTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Build_WithHistoryCheckAndBacklog_ShowsBothSectionsAndSaysItMeasuresQueueing()
    {
        ResultsDocument document = Document([1000]);
        var inspection = new Inspection(document.RunId)
        {
            HistoryCheck = new HistoryCheck(true, "bench1", 4000,
                [new HistoryCheckResult(Scenarios.DfActivity, 1000, 1, 1000, 998, 4, 4.01, null, new GapStatistics(0.12, 2.5), new GapStatistics(6.34, 30), "2 of 1000 <overwritten>")],
                ["kept rows note"]),
            QueueDepths = [new QueueDepthSample(0, 1, 0), new QueueDepthSample(1, 40, 2), new QueueDepthSample(2, 1, 0)],
        };
        EventRecord[] events = [.. Enumerable.Range(0, 1000).Select(i => new EventRecord(Scenarios.DfActivity, 1000, 1, i, T0.AddMilliseconds(i), T0.AddMilliseconds(i + 1), 1))];

        string html = HtmlReport.Build(document, inspection, events);

        // The History section (its hub, the row of the check, its note encoded) and the queue depths with their verdict.
        string[] shown =
        [
            "<h2>History cross-check</h2>",
            "<b>bench1History</b>",
            "<td>df-activity</td><td>1000</td><td>1</td><td>1000</td><td>998</td><td>4</td><td>4.01</td><td>0.1</td><td>2.5</td><td>6.3</td><td>30.0</td>",
            "2 of 1000 &lt;overwritten&gt;",
            "<li>kept rows note</li>",
            "<h2>Queue depths</h2>",
            "Backlog built",
            "the benchmark is measuring queueing",
            ">Messages in the task hub&#39;s queues</text>",
        ];
        Assert.All(shown, fragment => Assert.Contains(fragment, html));
    }

    [Fact]
    public void Build_QueuesStayShallow_SaysNoBacklog()
    {
        ResultsDocument document = Document([10]);
        var inspection = new Inspection(document.RunId) { QueueDepths = [new QueueDepthSample(0, 1, 0), new QueueDepthSample(1, 2, 1)] };

        string html = HtmlReport.Build(document, inspection, []);

        Assert.Contains("No backlog", html);
        Assert.DoesNotContain("Backlog built", html);
    }

    [Fact]
    public void Build_WithoutHistoryCheck_SaysWhichOutputCarriesIt()
    {
        string html = HtmlReport.Build(Document([10]), inspection: null, []);

        Assert.Contains("<code>./bench run</code> reads the task hub's History table", html);
        Assert.DoesNotContain("<h2>Queue depths</h2>", html);
    }

    [Fact]
    public void Build_HistoryNotAvailable_ShowsTheReason()
    {
        ResultsDocument document = Document([10]);
        var inspection = new Inspection(document.RunId) { HistoryCheck = HistoryCheck.Unavailable("hub", "History was not available: 404 TableNotFound") };

        string html = HtmlReport.Build(document, inspection, []);

        Assert.Contains("hubHistory: History was not available: 404 TableNotFound", html);
    }

    [Fact]
    public void Build_NSpanningMoreThanFourfold_DrawsThroughputOnLogAxesWithRoundTicks()
    {
        string html = HtmlReport.Build(Document([1000, 16000]), inspection: null, []);

        Assert.Contains(">invocations (N) (log scale)</text>", html);
        Assert.Contains(">1,000</text>", html);
        Assert.Contains(">10,000</text>", html);
        Assert.DoesNotContain("4037.5", html);
    }

    [Fact]
    public void Build_SequenceChart_LabelsRoundTicks()
    {
        EventRecord[] events = [.. Enumerable.Range(0, 4038).Select(i => new EventRecord(Scenarios.DfActivity, 4038, 1, i, T0, T0.AddMilliseconds(2), 2))];

        string html = HtmlReport.Build(Document([4038]), inspection: null, events);

        Assert.Contains(">4,000</text>", html);
        Assert.DoesNotContain(">4037", html);
        Assert.DoesNotContain(">1009.", html);
    }

    [Theory]
    [InlineData(0, 16150, new[] { 0.0, 5000, 10000, 15000, 20000 })]
    [InlineData(0, 4037.5, new[] { 0.0, 1000, 2000, 3000, 4000, 5000 })]
    [InlineData(0.3, 2.9, new[] { 0.0, 1, 2, 3 })]
    [InlineData(-0.2, 0.9, new[] { -0.5, 0, 0.5, 1 })]
    public void NiceTicks_AnyRange_AreMultiplesOfOneTwoOrFive(double min, double max, double[] expected)
    {
        Assert.Equal(expected, ChartAxis.NiceTicks(min, max));
    }

    [Fact]
    public void LogTicks_LessThanThreeDecades_AddsTwoAndFive()
    {
        Assert.Equal([1000.0, 2000, 5000, 10000, 20000], ChartAxis.LogTicks(800, 20000));
        Assert.Equal([1.0, 10, 100, 1000], ChartAxis.LogTicks(1, 1000));
    }

    private static ResultsDocument Document(int[] n)
    {
        var settings = new BenchSettings([Scenarios.DfActivity], n, 1, BenchModes.Single, 100, 1, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results = [.. n.Select(count => ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, count, 1), T0, T0.AddSeconds(count / 100.0), [1.0]))];
        return new ResultsDocument("r", "embedded", "AzureStorage", T0, T0.AddMinutes(1), settings, results, ScenarioSummary.Of(results));
    }

    [Fact]
    public void Build_SequenceChart_LabelsOfUnitsTooCloseToShareARowGoLower()
    {
        // A short unit between two long ones: its label starts a few pixels after the first's and must not overprint it.
        EventRecord[] events =
        [
            .. Enumerable.Range(0, 10).Select(i => new EventRecord(Scenarios.StateFun, 10, 1, i, T0.AddMilliseconds(i), T0.AddMilliseconds(i + 1), 0.1)),
            .. Enumerable.Range(0, 10).Select(i => new EventRecord(Scenarios.StateFun, 10, 2, i, T0.AddSeconds(1).AddMilliseconds(i), T0.AddSeconds(1).AddMilliseconds(i + 1), 0.1)),
            .. Enumerable.Range(0, 4000).Select(i => new EventRecord(Scenarios.StateFun, 4000, 1, i, T0.AddSeconds(2).AddMilliseconds(i), T0.AddSeconds(2).AddMilliseconds(i + 1), 0.1)),
        ];

        string html = HtmlReport.Build(Document([10, 4000]), inspection: null, events);

        int first = html.IndexOf(">statefun N=10 r1</text>", StringComparison.Ordinal), second = html.IndexOf(">statefun N=10 r2</text>", StringComparison.Ordinal);
        Assert.True(first > 0 && second > 0, "both unit labels are drawn");
        string Y(int at) => html[html.LastIndexOf(" y=\"", at, StringComparison.Ordinal)..at].Split('"')[1];
        Assert.NotEqual(Y(first), Y(second));
    }
}

using FunctionsBench.BenchOrchestrator.Report;

namespace FunctionsBench.Tests;

/// <summary>The report's sections: the first screen against the thesis, the charts, the tables, and what it leaves out.</summary>
public class ReportTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Build_DfAndStateFunAtThesisN_FirstScreenComparesBothAndTheThesis()
    {
        // df-activity: 1000 invocations in 10 s (400 events/s); statefun: 1000 in 0.5 s (2000 events/s).
        ResultsDocument document = Document([
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 1000, 1), T0, T0.AddSeconds(10), [5.0, 6.0]),
            ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 1000, 1), T0, T0.AddSeconds(0.5), [0.5, 0.7])]);

        string html = HtmlReport.Build(document, inspection: null, []);
        string firstScreen = html[..html.IndexOf("<h2>Against N", StringComparison.Ordinal)];

        Assert.Contains("<h1>Durable Functions vs StateFun</h1>", firstScreen);
        // StateFun made 2000 invocations/s against df-activity's 100: 20x; the thesis' 27.8 against 0.525: 52.9x.
        // Its settings were not recorded, so it is not called the thesis' procedure: every ratio to the thesis says so.
        Assert.Contains("<td>20.0&times; <span class=\"dim\">(thesis 52.9&times;, not the same procedure)</span></td>", firstScreen);
        // Table 5.4 at N = 1000: 1906 s and 2.1 events/s; this run's 400 events/s is 191x the formula's 2.099.
        Assert.Contains("<td>1,000</td><td>1,906</td><td>2.1</td><td>10.0</td><td>400</td><td>191&times; <span class=\"dim\">not the same procedure</span></td>", firstScreen);
        Assert.Contains("<td>1,000</td><td>36</td><td>28</td><td>0.5</td><td>2,000</td><td>72.0&times; <span class=\"dim\">not the same procedure</span></td>", firstScreen);
        Assert.Contains("<h2>This run's configuration vs the thesis'</h2>", firstScreen);
        Assert.Contains("./bench run --thesis runs the thesis&#39; procedure", firstScreen);
        Assert.Contains("0.8 &rarr; 0.888*", firstScreen);
        Assert.Contains("1.78 &rarr; 1.79*", firstScreen);
        Assert.Equal(6, CountOf(firstScreen, "not run"));
        Assert.Contains("emulated by the bench", firstScreen);
    }

    [Fact]
    public void Build_ThesisProcedureTwoRepetitions_RatiosSaySameProcedureAndCarryIntervals()
    {
        ScenarioResult[] results =
        [
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 1000, 1), T0, T0.AddSeconds(10), [5.0]),
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 1000, 2), T0, T0.AddSeconds(11), [5.0]),
            ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 1000, 1), T0, T0.AddSeconds(0.5), [0.5]),
            ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 1000, 2), T0, T0.AddSeconds(0.6), [0.5]),
        ];
        ResultsDocument document = Document(results) with
        {
            Settings = Settings([Scenarios.DfActivity, Scenarios.StateFun], [1000]) with { Mode = BenchModes.Single, Repetitions = 2 },
            Storage = new StorageSetup(StorageSetup.DevelopmentAccount, true, "disk", 4, false, 30_000, 32),
        };

        string html = HtmlReport.Build(document, inspection: null, []);
        string firstScreen = html[..html.IndexOf("<h2>Against N", StringComparison.Ordinal)];

        Assert.Contains("same procedure; storage and StateFun runtime differ", firstScreen);
        Assert.DoesNotContain("not the same procedure", firstScreen);
        Assert.Matches(@"&times; <span class=""dim"">\[[0-9.,]+&ndash;[0-9.,]+\]</span> <span class=""dim"">\(thesis 52.9&times;, same procedure", firstScreen);
        Assert.Contains("<title>FunctionsBench: 2 scenarios, N=1000, single, 2 rep, embedded, 2026-03-01 12:00</title>", html);
    }

    [Fact]
    public void Build_Warnings_ShowOnTheFirstScreenEncoded()
    {
        ResultsDocument document = Document([ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 10, 1), T0, T0.AddSeconds(1), [1.0])]);

        string html = HtmlReport.Build(document, inspection: null, [], ["floor <low>"]);

        Assert.Contains("<div class=\"warn\"><b>Read these figures with care:</b><ul><li>floor &lt;low&gt;</li></ul></div>", html);
        Assert.True(html.IndexOf("class=\"warn\"", StringComparison.Ordinal) < html.IndexOf("<h2>This run</h2>", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_Charts_MirrorTheThesisFiguresWithItsSeriesInTheScenariosColours()
    {
        ResultsDocument document = Document([
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 1000, 1), T0, T0.AddSeconds(10), [5.0]),
            ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 1000, 1), T0, T0.AddSeconds(0.5), [0.5])]);

        string html = HtmlReport.Build(document, inspection: null, []);

        foreach (string title in new[] { "Throughput (Figures 5.1, 5.2)", "Throughput in invocations", "Mean latency (Figure 5.3)", "Execution time" })
        {
            Assert.Contains($">{title}</text>", html);
        }

        // Each of the four charts has a thesis StateFun series: dashed, hollow markers, in statefun's blue.
        Assert.Equal(4, CountOf(html, "stroke=\"#1f78b4\" stroke-width=\"2\" stroke-dasharray=\"6,4\" points="));
        Assert.Contains("fill=\"#fff\" stroke=\"#1f78b4\"", html);
        Assert.Contains("(log scale)", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Build_SequenceChart_MarksUnitsAndCheckpointsOnALogScale()
    {
        var settings = Settings([Scenarios.DfActivity], [300]) with { CheckpointEvery = 100 };
        ScenarioResult[] results = [ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 300, 1), T0, T0.AddSeconds(3), [1.0])];
        var document = new ResultsDocument("r", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results));
        EventRecord[] events = [.. Enumerable.Range(0, 300).Select(i => new EventRecord(Scenarios.DfActivity, 300, 1, i, T0.AddMilliseconds(i), T0.AddMilliseconds(i + 1), i % 100 == 0 ? 20 : 1))];

        string html = HtmlReport.Build(document, inspection: null, events);
        string chart = html[html.IndexOf("<h2>Latency over the run</h2>", StringComparison.Ordinal)..];

        Assert.Contains(">df-activity N=300 r1</text>", chart);
        Assert.Equal(2, CountOf(chart[..chart.IndexOf("</svg>", StringComparison.Ordinal)], "stroke=\"#bbb\""));
        Assert.Contains("latency, ms (log scale)", chart);
        Assert.Contains("a fresh orchestration starts (every 100 invocations)", chart);
    }

    [Fact]
    public void Build_Percentiles_OnOneLogAxisSoSubMillisecondLatenciesShow()
    {
        ResultsDocument document = Document([
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 1000, 1), T0, T0.AddSeconds(10), [40.0, 50.0, 60.0]),
            ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 1000, 1), T0, T0.AddSeconds(0.5), [0.1, 0.2, 0.3])]);

        string html = HtmlReport.Build(document, inspection: null, []);

        Assert.Contains(">Latency percentiles (mean over repetitions)</text>", html);
        Assert.Contains(">0.1</text>", html);
        Assert.Contains(">100</text>", html);
    }

    [Fact]
    public void Build_DocumentWithStorage_NamesTheAzuriteModeAndProviderSettings()
    {
        ResultsDocument document = Document([ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 10, 1), T0, T0.AddSeconds(1), [5.0])]) with
        {
            Storage = new StorageSetup(StorageSetup.DevelopmentAccount, true, "memory", 1, true, 1000, 32),
        };

        string html = HtmlReport.Build(document, inspection: null, []);

        Assert.Contains("<th>storage</th><td>Azurite (memory), 1 partition, extended sessions, max polling 1000 ms, control batch 32</td>", html);
    }

    [Fact]
    public void Build_StorageFaults_ShownWhenCounted()
    {
        ResultsDocument document = Document([ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 10, 1), T0, T0.AddSeconds(1), [5.0])]);
        var inspection = new Inspection("r", StorageFaults: [new StorageFaultCount(Scenarios.DfActivity, 10, 1, 7, 3, 4.25)]);

        string html = HtmlReport.Build(document, inspection, []);

        Assert.Contains("<h2>Storage faults</h2>", html);
        Assert.Contains("<td>df-activity</td><td>10</td><td>1</td><td><b class=\"bad\">7</b></td><td>3</td><td>4.3</td>", html);
        Assert.DoesNotContain("<h2>Storage faults</h2>", HtmlReport.Build(document, new Inspection("r"), []));
    }

    private static ResultsDocument Document(ScenarioResult[] results)
    {
        var settings = Settings([.. results.Select(r => r.Scenario).Distinct()], [.. results.Select(r => r.Invocations).Distinct()]);
        return new ResultsDocument("run-42", "embedded", "AzureStorage", T0, T0.AddMinutes(1), settings, results, ScenarioSummary.Of(results))
        {
            StateFun = new StateFunEndpoint("http://127.0.0.1/api/statefun/{function.name}", StateFunEndpoint.ThisHost, "the C# greeter", StateFunEndpoint.EmulatedRuntime),
        };
    }

    private static BenchSettings Settings(string[] scenarios, int[] n) => new(scenarios, n, 1, BenchModes.Checkpointed, 100, 1, "http://127.0.0.1/", "1", "Joe");

    private static int CountOf(string text, string part) => text.Split(part).Length - 1;
}

using FunctionsBench.BenchOrchestrator;
using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.Embedded.Run;
using Spectre.Console;

namespace FunctionsBench.Embedded.Tests;

/// <summary>The console as a reader sees it at 100 columns: the procedure against the thesis', efficiencies with their floors, drift, progress in a log.</summary>
public sealed class ConsoleResultsTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Headline_DefaultRun_StatesItsConfigurationAndLabelsEveryThesisRatio()
    {
        ResultsDocument document = Document(BenchModes.Checkpointed, new StorageSetup(StorageSetup.DevelopmentAccount, true, "disk", 1, true, 1000, 32));

        string[] lines = Print(console => ConsoleHeadline.Print(console, document, []));

        Assert.All(lines, line => Assert.True(line.TrimEnd().Length <= 100, $"{line.Length} columns: {line}"));
        Assert.Contains(lines, line => line.Contains("This run's configuration vs the thesis'", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("tuned: 1 partition, extended", StringComparison.Ordinal));
        // Every ratio to the thesis carries the mark, and the mark is explained with what --thesis does.
        Assert.Contains(lines, line => line.Contains("x†", StringComparison.Ordinal) && line.Contains("df-activity", StringComparison.Ordinal) && line.Contains("1000", StringComparison.Ordinal));
        string text = string.Join(' ', lines.Select(l => l.Trim()));
        Assert.Contains("† not the same procedure", text, StringComparison.Ordinal);
        Assert.Contains("./bench run --thesis runs the thesis' procedure", text, StringComparison.Ordinal);
        // Two repetitions: the head-to-head ratio has its interval.
        Assert.Matches(@"\d+(\.\d+)?x \[\d+(\.\d+)?-\d+(\.\d+)?\]", text);
    }

    [Fact]
    public void Tables_EachEfficiencyBesideItsFloor_CanBeRecomputedFromTheRow()
    {
        ResultsDocument document = Document(BenchModes.Checkpointed, null);

        string[] lines = Print(console => ConsoleTables.PrintTables(console, document, inspection: null, events: []));

        Assert.All(lines, line => Assert.True(line.TrimEnd().Length <= 100, $"{line.Length} columns: {line}"));
        Assert.Contains(lines, line => line.Contains("df-activity: 1 storage step/inv", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("statefun: 2 HTTP requests/inv (request-reply HTTP, embedded host)", StringComparison.Ordinal));
        // df-activity rep 1: 1000 invocations in 10 s = 100/s against its unit floor of 125 steps/s: 0.80.
        string[] cells = Assert.Single(
            lines.Select(line => line.Split('│', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)),
            c => c.Length == ConsoleTables.ResultColumns.Length && c[0] == "1000" && c[1] == "1" && c[2] == "10.00");
        Dictionary<string, string> byColumn = ConsoleTables.ResultColumns.Zip(cells).ToDictionary(c => c.First, c => c.Second);
        Assert.Equal("0.80", byColumn["Eff"]);
        Assert.Equal("125 u", byColumn["Floor/s"]);
        Assert.Contains(lines, line => line.StartsWith("Eff = Inv/s × steps per invocation", StringComparison.Ordinal));
    }

    [Fact]
    public void Tables_UnitWhoseLatencyRises_IsFlaggedAsDrift()
    {
        ResultsDocument document = Document(BenchModes.Checkpointed, null);
        EventRecord[] events = [.. Enumerable.Range(0, 100).Select(i => new EventRecord(Scenarios.DfSubOrchestration, 100, 1, i, T0.AddSeconds(i), T0.AddSeconds(i + 0.5), 10 + i))];

        string text = string.Join(' ', Print(console => ConsoleTables.PrintTables(console, document, inspection: null, events)).Select(l => l.Trim()));

        Assert.Contains("Latency drift in 1 of 1 units", text, StringComparison.Ordinal);
        Assert.Matches(@"│ df-suborchestration │ +100 │ +1 │ +14\.5 │ +10\d │ +7\.\d\d │", text);
    }

    [Fact]
    public void LogLine_ReadsAsElapsedDoneAndLeft()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [100], 1, BenchModes.Checkpointed, 100, 1, "http://127.0.0.1/", "1", "Joe");
        var estimate = new ProgressEstimate(settings);
        estimate.Observe(30, "units", Scenarios.DfActivity, 1, 50);

        string line = ProgressDisplay.LogLine(TimeSpan.FromSeconds(30), estimate, "df-activity N=100 r1 (unit 1/1)");

        Assert.Matches(@"^\[0:30 elapsed\] \d{1,2}% done, about \d+:\d\d left: df-activity N=100 r1 \(unit 1/1\)$", line);
        estimate.Complete();
        Assert.Equal("[1:05 elapsed] 100% done: done", ProgressDisplay.LogLine(TimeSpan.FromSeconds(65), estimate, "done"));
    }

    [Fact]
    public void ComparePage_WithoutHtml_GoesBesideTheFirstRun()
    {
        string folder = Directory.CreateTempSubdirectory("compare-page-").FullName;
        try
        {
            Assert.Equal(Path.Combine(folder, "compare.html"), Commands.CompareCommand.DefaultPage(folder));
            Assert.Equal(Path.Combine(folder, "compare.html"), Commands.CompareCommand.DefaultPage(Path.Combine(folder, "results.json")));
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    private static string[] Print(Action<IAnsiConsole> print)
    {
        var text = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 100;
        print(console);
        return text.ToString().Split('\n');
    }

    private static ResultsDocument Document(string mode, StorageSetup? storage)
    {
        var settings = new BenchSettings([Scenarios.DfActivity, Scenarios.StateFun], [1000], 2, mode, 100, 1, "http://127.0.0.1/", "1", "Joe");
        BenchFloors UnitFloor(double stepsPerSecond) => new(new StorageFloor(stepsPerSecond, new FloorMs(1000 / stepsPerSecond, 1000 / stepsPerSecond, 1000 / stepsPerSecond), 2, 0, 0, 1, 8, "Azurite", "http://q"), null, null, "none");
        ScenarioResult[] results =
        [
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 1000, 1), T0, T0.AddSeconds(10), [10.0], unitFloors: UnitFloor(125)),
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 1000, 2), T0, T0.AddSeconds(12), [12.0], unitFloors: UnitFloor(100)),
            ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 1000, 1), T0, T0.AddSeconds(0.2), [0.2], floorInTurns: new HttpFloorInTurns(14000, 1)),
            ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 1000, 2), T0, T0.AddSeconds(0.25), [0.25], floorInTurns: new HttpFloorInTurns(14000, 1)),
        ];
        return new ResultsDocument("r", "embedded", "AzureStorage", T0, T0.AddMinutes(1), settings, results, ScenarioSummary.Of(results), Storage: storage);
    }
}

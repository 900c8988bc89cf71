using FunctionsBench.BenchOrchestrator;
using FunctionsBench.BenchOrchestrator.History;
using FunctionsBench.Embedded.Run;
using Spectre.Console;

namespace FunctionsBench.Embedded.Tests;

public sealed class RunOutputTableTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void PrintTables_LargeFiguresAt100Columns_FitWithoutWrappingHeaders()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [16000], 1, BenchModes.Single, 100, 1, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results = [ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 16000, 1), T0, T0.AddSeconds(18023.4), [12345.6, 99999.9])];
        var document = new ResultsDocument("r", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results));
        var inspection = new Inspection("r")
        {
            HistoryCheck = new HistoryCheck(true, "bench20260301120000", 64000,
                [new HistoryCheckResult(Scenarios.DfSubOrchestration, 16000, 1, 16000, 15999, 12, 12.01, 8, new GapStatistics(0.1, 1234.5), new GapStatistics(6.5, 12345.6), null)], []),
        };
        var text = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 100;

        ConsoleTables.PrintTables(console, document, inspection, events: []);
        string[] lines = text.ToString().Split('\n');

        Assert.All(lines, line => Assert.True(line.TrimEnd().Length <= 100, $"{line.Length} columns: {line}"));
        Assert.Contains(lines, line => ConsoleTables.ResultColumns.All(header => line.Contains(header, StringComparison.Ordinal)));
        Assert.Contains(lines, line => line.Contains("18023.40", StringComparison.Ordinal) && line.Contains("100000", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("df-suborchestration", StringComparison.Ordinal) && line.Contains("15999", StringComparison.Ordinal) && line.Contains("6.5/12345.6", StringComparison.Ordinal));
    }

    [Fact]
    public void PrintTables_SubMillisecondLatencies_KeepThreeSignificantDigits()
    {
        // A StateFun login takes a tenth of a millisecond: one decimal would print 0.2 for both 0.17 and 0.21.
        var settings = new BenchSettings([Scenarios.StateFun], [3], 1, BenchModes.Checkpointed, 100, 1, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results = [ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 3, 1), T0, T0.AddMilliseconds(1), [0.105, 0.17, 0.328])];
        var document = new ResultsDocument("r", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results));
        var text = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 100;

        ConsoleTables.PrintTables(console, document, inspection: null, events: []);

        string row = Assert.Single(text.ToString().Split('\n'), line => line.StartsWith("│ 3 │", StringComparison.Ordinal));
        string[] cells = [.. row.Split('│', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        Dictionary<string, string> byColumn = ConsoleTables.ResultColumns.Zip(cells).ToDictionary(c => c.First, c => c.Second);
        Assert.Equal("0.17", byColumn["p50"]);
        Assert.Equal("0.328", byColumn["max ms"]);
    }

    [Fact]
    public void PrintTables_BacklogOnlyBetweenUnits_IsNotCalledQueueingInTheFigures()
    {
        // A StateFun-only run: its timing records pile up in the control queue after the unit, outside every timed window.
        var settings = new BenchSettings([Scenarios.StateFun], [2], 1, BenchModes.Checkpointed, 100, 1, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results = [ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 2, 1), T0.AddSeconds(5), T0.AddSeconds(6), [0.1, 0.2])];
        var document = new ResultsDocument("r", "embedded", "AzureStorage", T0, T0.AddSeconds(9), settings, results, ScenarioSummary.Of(results));
        var inspection = new Inspection("r") { QueueDepths = [new(5.5, 1, 0), new(7, 35, 0), new(8, 2, 0)] };
        EventRecord[] events = [new(Scenarios.StateFun, 2, 1, 1, T0.AddSeconds(5), T0.AddSeconds(5.5), 0.1), new(Scenarios.StateFun, 2, 1, 2, T0.AddSeconds(5.5), T0.AddSeconds(6), 0.2)];
        var text = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 100;

        ConsoleTables.PrintTables(console, document, inspection, events);
        // The line wraps at 100 columns: compare its words.
        string output = string.Join(' ', text.ToString().Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

        Assert.Contains("only outside the Durable Functions units' timed windows at t=7-7 s (max 35)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("measures queueing", output, StringComparison.Ordinal);
    }
}

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

        ConsoleTables.PrintTables(console, document, inspection);
        string[] lines = text.ToString().Split('\n');

        Assert.All(lines, line => Assert.True(line.TrimEnd().Length <= 100, $"{line.Length} columns: {line}"));
        Assert.Contains(lines, line => ConsoleTables.ResultColumns.All(header => line.Contains(header, StringComparison.Ordinal)));
        Assert.Contains(lines, line => line.Contains("18023.40", StringComparison.Ordinal) && line.Contains("99999.9", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("df-suborchestration", StringComparison.Ordinal) && line.Contains("15999", StringComparison.Ordinal) && line.Contains("6.5/12345.6", StringComparison.Ordinal));
    }
}

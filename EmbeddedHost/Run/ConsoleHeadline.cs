using FunctionsBench.BenchOrchestrator.Thesis;
using Spectre.Console;

namespace FunctionsBench.Embedded.Run;

/// <summary>
/// The console's answer first: Durable Functions against StateFun in this run, this run against the thesis' Tables 5.3
/// and 5.4, what played StateFun, and the warnings. Every table fits 100 columns.
/// </summary>
public static class ConsoleHeadline
{
    /// <summary>The headers of the run table.</summary>
    internal static readonly string[] RunColumns = ["Scenario", "N", "Time s", "Inv/s", "Events/s", "Mean ms", "StateFun ÷ this (thesis)"];

    /// <summary>The headers of the thesis table.</summary>
    internal static readonly string[] ThesisColumns = ["Table", "Scenario", "N", "Thesis s", "Thesis ev/s", "Run s", "Run ev/s", "Run ÷ thesis"];

    /// <summary>Prints the headline of <paramref name="document"/> with <paramref name="warnings"/> under it.</summary>
    public static void Print(IAnsiConsole console, ResultsDocument document, IReadOnlyList<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(warnings);
        IReadOnlyList<ScenarioSummary> summaries = ScenarioSummary.Of(document.Results);
        IReadOnlyList<HeadToHeadRow> pairs = ThesisComparison.HeadToHead(summaries);
        var run = new Table { Title = new TableTitle($"Durable Functions vs StateFun ({document.Settings.Mode}, {document.Settings.Repetitions} rep, means)") };
        run.AddColumns(RunColumns);
        RightAlign(run, 1);
        foreach (ScenarioSummary s in summaries.OrderBy(s => s.Invocations).ThenBy(s => Scenarios.Names.ToList().IndexOf(s.Scenario)))
        {
            HeadToHeadRow? pair = pairs.FirstOrDefault(p => p.Durable == s.Scenario && p.Invocations == s.Invocations);
            string ratio = pair is null ? "-" : Times(pair.Ratio) + (pair.ThesisRatio is double t ? $" ({Times(t)})" : string.Empty);
            run.AddRow(Markup.Escape(s.Scenario), I(s.Invocations), Sig(s.MeanExecutionSeconds), Sig(ThesisComparison.InvocationsPerSecond(s)), Sig(s.MeanEventsPerSecond),
                Sig(s.MeanLatencyMs ?? 0), ratio);
        }

        console.Write(run);
        var thesis = new Table { Title = new TableTitle("This run vs the thesis (* printed figure differs from formula 4.1)") };
        thesis.AddColumns(ThesisColumns);
        RightAlign(thesis, 2);
        foreach (ThesisComparisonRow r in ThesisComparison.Rows(summaries))
        {
            string printed = r.Thesis.PrintedDiffers ? $"{r.Thesis.Printed}→{Sig(r.Thesis.EventsPerSecond)}*" : r.Thesis.Printed;
            thesis.AddRow(r.Thesis.Table, r.Thesis.Scenario, I(r.Thesis.Invocations), I((int)r.Thesis.ExecutionSeconds), printed,
                r.Run is { } m ? Sig(m.MeanExecutionSeconds) : "not run", r.Run is { } m2 ? Sig(m2.MeanEventsPerSecond) : "-", r.SpeedUp is double x ? Times(x) : "-");
        }

        console.Write(thesis);
        if (document.StateFun is { } stateFun)
        {
            console.MarkupLineInterpolated($"statefun: {stateFun.Label ?? "StateFun endpoint"} at {stateFun.Url}; runtime {stateFun.Runtime}");
        }

        foreach (string warning in warnings)
        {
            console.MarkupLineInterpolated($"[yellow]Warning:[/] {warning}");
        }
    }

    private static void RightAlign(Table table, int first)
    {
        for (int column = first; column < table.Columns.Count; column++)
        {
            table.Columns[column].RightAligned();
        }
    }

    private static string Times(double value) => Sig(value) + "x";

    private static string Sig(double value) => Format.Sig(value);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

}

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
        ProcedureCheck procedure = ProcedureCheck.Of(document);
        PrintProcedure(console, procedure);
        string mark = procedure.SameProcedure ? string.Empty : "†";
        var run = new Table { Title = new TableTitle($"Durable Functions vs StateFun ({document.Settings.Mode}, {document.Settings.Repetitions} rep, means)") };
        run.AddColumns(RunColumns);
        RightAlign(run, 1);
        foreach (ScenarioSummary s in summaries.OrderBy(s => s.Invocations).ThenBy(s => Scenarios.Names.ToList().IndexOf(s.Scenario)))
        {
            HeadToHeadRow? pair = pairs.FirstOrDefault(p => p.Durable == s.Scenario && p.Invocations == s.Invocations);
            string interval = pair is not null && ProcedureCheck.HeadToHeadInterval(document, pair.Durable, pair.Invocations) is { } ci
                ? $" [{Sig(ci.Low)}-{Sig(ci.High)}]"
                : string.Empty;
            string ratio = pair is null ? "-" : Times(pair.Ratio) + interval + (pair.ThesisRatio is double t ? $" ({Times(t)}{mark})" : string.Empty);
            run.AddRow(Markup.Escape(s.Scenario), I(s.Invocations), ConsoleTables.Seconds(s.MeanExecutionSeconds), Sig(ThesisComparison.InvocationsPerSecond(s)), Sig(s.MeanEventsPerSecond),
                Sig(s.MeanLatencyMs ?? 0), Markup.Escape(ratio));
        }

        console.Write(run);
        var thesis = new Table
        {
            Title = new TableTitle(procedure.SameProcedure ? "This run vs the thesis, same procedure (* printed ≠ formula 4.1)" : "This run vs the thesis† (* printed ≠ formula 4.1)"),
        };
        thesis.AddColumns(ThesisColumns);
        RightAlign(thesis, 2);
        foreach (ThesisComparisonRow r in ThesisComparison.Rows(summaries))
        {
            string printed = r.Thesis.PrintedDiffers ? $"{r.Thesis.Printed}→{Sig(r.Thesis.EventsPerSecond)}*" : r.Thesis.Printed;
            thesis.AddRow(r.Thesis.Table, r.Thesis.Scenario, I(r.Thesis.Invocations), I((int)r.Thesis.ExecutionSeconds), printed,
                r.Run is { } m ? ConsoleTables.Seconds(m.MeanExecutionSeconds) : "not run", r.Run is { } m2 ? Sig(m2.MeanEventsPerSecond) : "-",
                Markup.Escape(r.SpeedUp is double x ? Times(x) + mark + (r.Run is { } m3 && ProcedureCheck.SpeedUpInterval(m3, r.Thesis) is { } ci ? $" [{Sig(ci.Low)}-{Sig(ci.High)}]" : string.Empty) : "-"));
        }

        console.Write(thesis);
        if (document.Settings.Repetitions > 1)
        {
            console.WriteLine("[low-high]: the 95% interval of the ratio over the repetitions (from two repetitions on).");
        }

        if (!procedure.SameProcedure)
        {
            console.MarkupLine($"[yellow]† {Markup.Escape(ProcedureCheck.NotSameProcedure)}[/]: {Markup.Escape("this run's configuration differs from the thesis' (above), so a ratio near the thesis' does not mean it was reproduced. " + ProcedureCheck.ThesisFlag + ".")}");
        }
        if (document.StateFun is { } stateFun)
        {
            console.MarkupLineInterpolated($"statefun: {stateFun.Label ?? "StateFun endpoint"} at {stateFun.Url}; runtime {stateFun.Runtime}");
        }

        foreach (string warning in warnings)
        {
            console.MarkupLineInterpolated($"[yellow]Warning:[/] {warning}");
        }
    }

    /// <summary>This run's configuration beside the thesis', one row per aspect, short enough for 100 columns.</summary>
    private static void PrintProcedure(IAnsiConsole console, ProcedureCheck procedure)
    {
        var table = new Table { Title = new TableTitle("This run's configuration vs the thesis'") };
        table.AddColumns("", "This run", "Thesis", "");
        foreach (ProcedureAspect a in procedure.Aspects)
        {
            table.AddRow(
                Markup.Escape(a.Aspect), Markup.Escape(a.ThisRun), Markup.Escape(a.Thesis),
                a.Matches ? "same" : a.Procedure ? "[red]differs[/]" : "[yellow]platform[/]");
        }

        console.Write(table);
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

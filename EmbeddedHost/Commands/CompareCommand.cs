using System.CommandLine;
using FunctionsBench.BenchOrchestrator.Compare;
using FunctionsBench.Embedded.Run;
using Spectre.Console;

namespace FunctionsBench.Embedded.Commands;

/// <summary>
/// <c>compare A B [C ...]</c>: every run against the first, per (scenario, N) both ran: the ratio of mean throughput
/// over repetitions and of mean latency over invocations, with 95% intervals and significance; console tables and an
/// HTML page.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("runs") { Description = "Two or more results folders (or results.json files); the first is the baseline", Arity = new ArgumentArity(2, 26) };
        var html = new Option<string?>("--html") { Description = "Where to write the HTML page (default: compare.html in the first run's folder)" };
        var verbose = new Option<bool>("--verbose") { Description = "On an error, print the whole exception" };
        var prices = new Option<string?>("--prices") { Description = "Price every run with this price file (default prices/azure-2026-12.json)" };
        var command = new Command("compare", "Compare runs with the first: ratios of means with 95% intervals and significance tests") { runs, html, verbose, prices };
        command.SetAction((result, cancellationToken) => CliErrors.HandleAsync("compare", result.GetValue(verbose), async () =>
        {
            CostPrices costPrices = CostPrices.Load(result.GetValue(prices));
            // The page's path first: a run of compares should not end in a trace after the tables.
            string? chosen = result.GetValue(html);
            if (chosen is not null)
            {
                OutputFolder.CheckFile(chosen, "--html");
            }

            var loaded = new List<ComparedRun>();
            var inspections = new List<Inspection?>();
            foreach (string path in result.GetRequiredValue(runs))
            {
                RunFolder folder = await RunOutput.LoadAsync(path, cancellationToken);
                loaded.Add(new ComparedRun(path, folder.Document, folder.Events));
                inspections.Add(folder.Inspection);
            }

            if (loaded.Select(r => r.Document.RunId).Distinct().Count() < loaded.Count)
            {
                throw new CliException("the same run is given twice");
            }

            IReadOnlyList<ComparisonRow> rows = RunComparison.Compare(loaded);
            if (rows.Count == 0)
            {
                throw new CliException("the runs share no (scenario, N): nothing to compare", exitCode: 1);
            }

            IReadOnlyList<string> differences = RunComparison.SettingsDifferences(loaded);
            Print(RunSession.Console(), loaded, rows, RunComparison.Unmatched(loaded), differences);
            ConsoleCost.PrintCompare(RunSession.Console(), [.. inspections.Select((inspection, i) => (CompareHtml.Letter(i), inspection))], costPrices);
            string page = chosen ?? DefaultPage(loaded[0].Label);
            try
            {
                await File.WriteAllTextAsync(page, CompareHtml.Build(loaded, rows, RunComparison.Unmatched(loaded), differences), cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OutputPathException($"{(chosen is null ? "compare.html beside the first run" : "--html " + page)} cannot be written: {e.Message}", exitCode: 1);
            }

            Console.Out.WriteLine($"Wrote {Path.GetFullPath(page)}");
            return 0;
        }));
        return command;
    }

    /// <summary>compare.html beside the baseline's results: in its folder, or beside the results.json named.</summary>
    internal static string DefaultPage(string baseline)
        => Path.Combine(Directory.Exists(baseline) ? baseline : Path.GetDirectoryName(Path.GetFullPath(baseline))!, "compare.html");

    private static void Print(IAnsiConsole console, IReadOnlyList<ComparedRun> runs, IReadOnlyList<ComparisonRow> rows, IReadOnlyList<string> unmatched, IReadOnlyList<string> differences)
    {
        for (int i = 0; i < runs.Count; i++)
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"{CompareHtml.Letter(i)} = {runs[i].Label} (run {runs[i].Document.RunId}, {runs[i].Document.Settings.Mode}, {runs[i].Document.Settings.Repetitions} rep)");
        }

        string Letter(string label) => CompareHtml.Letter(runs.ToList().FindIndex(r => r.Label == label));
        var throughput = new Table { Title = new TableTitle("Throughput over repetitions (events/s; ratio = run ÷ A)") };
        throughput.AddColumns("Scenario", "N", "Run", "A ev/s", "Run ev/s", "Ratio (95% CI)", "p Welch");
        var efficiency = new Table { Title = new TableTitle("Efficiency over repetitions (against each unit's floor; ratio = run ÷ A)") };
        efficiency.AddColumns("Scenario", "N", "Run", "A eff", "Run eff", "Ratio (95% CI)", "p Welch");
        var latency = new Table { Title = new TableTitle("Latency over every invocation (mean ms; ratio = run ÷ A)") };
        latency.AddColumns("Scenario", "N", "Run", "A ms", "Run ms", "Ratio (95% CI)", "p M-W U");
        foreach (ComparisonRow r in rows)
        {
            throughput.AddRow(Markup.Escape(r.Scenario), N(r.Invocations), Letter(r.Other), F(r.BaselineEventsPerSecond.Average()), F(r.OtherEventsPerSecond.Average()),
                Mark(r.Throughput, r.Throughput is { } t ? Format.Ratio(t.Ratio, t.Low, t.High) : Format.Ratio(r.ThroughputRatio) + " (1 rep)"),
                r.Throughput is { } tp ? Markup.Escape(Format.P(tp.PValue)) : "-");
            efficiency.AddRow(Markup.Escape(r.Scenario), N(r.Invocations), Letter(r.Other), Eff(r.BaselineEfficiency), Eff(r.OtherEfficiency),
                Mark(r.Efficiency, r.Efficiency is { } e ? Format.Ratio(e.Ratio, e.Low, e.High) : r.EfficiencyRatio is double point ? Format.Ratio(point) + " (1 rep)" : "-"),
                r.Efficiency is { } ep ? Markup.Escape(Format.P(ep.PValue)) : "-");
            latency.AddRow(Markup.Escape(r.Scenario), N(r.Invocations), Letter(r.Other), F(r.BaselineLatencyMeanMs), F(r.OtherLatencyMeanMs),
                Mark(r.Latency, r.Latency is { } l ? Format.Ratio(l.Ratio, l.Low, l.High) : "-"), r.Latency is { } lp ? Markup.Escape(Format.P(lp.PValue)) : "-");
        }

        foreach (Table table in new[] { throughput, efficiency, latency })
        {
            for (int column = 1; column < table.Columns.Count; column++)
            {
                table.Columns[column].RightAligned();
            }

            console.Write(table);
        }

        foreach (string difference in differences)
        {
            console.MarkupLine($"[yellow]Settings differ:[/] {Markup.Escape(difference)}");
        }

        console.MarkupLine("Bold: different at the 5% level. Latency invocations are not independent samples: repeat runs for a claim.");
        if (unmatched.Count > 0)
        {
            console.MarkupLineInterpolated($"Not in A, so not compared: {string.Join("; ", unmatched)}");
        }
    }

    private static string Mark(RatioEstimate? estimate, string text) => estimate?.Significant == true ? $"[bold]{Markup.Escape(text)}[/]" : Markup.Escape(text);

    private static string Eff(IReadOnlyList<double>? values) => values is { Count: > 0 } v ? v.Average().ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double? value) => value is double v ? Format.Sig(v) : "-";
}

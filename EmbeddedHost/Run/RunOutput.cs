using System.Globalization;
using System.Text.Json;
using FunctionsBench.BenchOrchestrator;
using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.Hosting;
using Spectre.Console;

namespace FunctionsBench.Embedded.Run;

/// <summary>What <c>./bench run</c> leaves behind and prints: the four files and the thesis-style tables.</summary>
public static class RunOutput
{
    /// <summary>The files a run writes into its output folder.</summary>
    public static readonly string[] FileNames = ["results.json", "results.csv", "events.csv", "report.html"];

    /// <summary>The default output folder: a timestamped folder under <c>results/</c>.</summary>
    public static string DefaultFolder(DateTime now)
        => Path.Combine("results", now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));

    /// <summary>Writes results.json (indented), results.csv, events.csv and report.html into <paramref name="folder"/>.</summary>
    public static async Task<ResultsDocument> WriteAsync(string folder, string resultsJson, string eventsCsv, string reportHtml, CancellationToken cancellationToken)
    {
        ResultsDocument document = JsonSerializer.Deserialize<ResultsDocument>(resultsJson, BenchJson.Options)
            ?? throw new BenchApiException("The results document is empty.");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(document, BenchJson.Indented), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "results.csv"), document.ToCsv(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "events.csv"), eventsCsv, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "report.html"), reportHtml, cancellationToken);
        return document;
    }

    /// <summary>
    /// Prints the floors, then one table per scenario (invocations, execution time, throughput, as the thesis' tables 5.3
    /// and 5.4) with latency percentiles and efficiency against the floor.
    /// </summary>
    public static void PrintTables(IAnsiConsole console, ResultsDocument document)
    {
        PrintFloors(console, document.Floors);
        foreach (IGrouping<string, ScenarioResult> scenario in document.Results.GroupBy(r => r.Scenario))
        {
            var table = new Table { Title = new TableTitle($"{scenario.Key} ({document.Settings.Mode}, {document.Host}, {document.StorageProvider})") };
            table.AddColumns("Invocations", "Rep", "Execution time (s)", "Throughput (events/s)", "Invocations/s", "Recorded", "p50 (ms)", "p90 (ms)", "p99 (ms)", "max (ms)", "Efficiency");
            foreach (int column in Enumerable.Range(0, 11))
            {
                table.Columns[column].RightAligned();
            }

            foreach (ScenarioResult r in scenario)
            {
                table.AddRow(
                    r.Invocations.ToString(CultureInfo.InvariantCulture), r.Repetition.ToString(CultureInfo.InvariantCulture), F(r.ExecutionSeconds, "0.00"),
                    F(r.EventsPerSecond, "0.0"), F(r.InvocationsPerSecond, "0.0"),
                    r.Recorded == r.Invocations ? r.Recorded.ToString(CultureInfo.InvariantCulture) : $"[red]{r.Recorded}[/]",
                    F(r.LatencyMs.P50, "0.0"), F(r.LatencyMs.P90, "0.0"), F(r.LatencyMs.P99, "0.0"), F(r.LatencyMs.Max, "0.0"), Ratio(r.Efficiency));
            }

            console.Write(table);
        }

        if (document.Settings.Repetitions > 1)
        {
            var summary = new Table { Title = new TableTitle("Over repetitions (throughput)") };
            summary.AddColumns("Scenario", "Invocations", "Repetitions", "Mean execution (s)", "Mean events/s", "CV", "95% CI (±events/s)", "Mean efficiency");
            foreach (ScenarioSummary s in document.Summary)
            {
                summary.AddRow(
                    s.Scenario, s.Invocations.ToString(CultureInfo.InvariantCulture), s.Repetitions.ToString(CultureInfo.InvariantCulture),
                    F(s.MeanExecutionSeconds, "0.00"), F(s.MeanEventsPerSecond, "0.0"), s.Cv is double cv ? F(cv, "0.000") : "-", s.Ci95 is double ci ? F(ci, "0.0") : "-",
                    Ratio(s.MeanEfficiency));
            }

            console.Write(summary);
        }
    }

    /// <summary>The floors the efficiencies are measured against, or why one is missing.</summary>
    private static void PrintFloors(IAnsiConsole console, BenchFloors? floors)
    {
        var table = new Table { Title = new TableTitle("Floors (efficiency = invocations/s × steps per invocation ÷ floor rate)") };
        table.AddColumns("Floor", "Rate", "Mean (ms)", "p50 (ms)", "p99 (ms)", "Against");
        foreach (int column in Enumerable.Range(1, 4))
        {
            table.Columns[column].RightAligned();
        }

        if (floors?.Storage is { } storage)
        {
            table.AddRow("storage step", $"{F(storage.StepsPerSecond, "0.0")} steps/s", F(storage.MsPerStep.Mean, "0.00"), F(storage.MsPerStep.P50, "0.00"), F(storage.MsPerStep.P99, "0.00"), Markup.Escape(storage.Connection));
        }
        else
        {
            table.AddRow("storage step", "[red]not measured[/]", "-", "-", "-", Markup.Escape(floors?.StorageError ?? "no floors in this document"));
        }

        if (floors?.Http is { } http)
        {
            table.AddRow("HTTP request", $"{F(http.RequestsPerSecond, "0.0")} req/s", F(http.Ms.Mean, "0.000"), F(http.Ms.P50, "0.000"), F(http.Ms.P99, "0.000"), Markup.Escape(http.Url));
        }
        else
        {
            table.AddRow("HTTP request", "[red]not measured[/]", "-", "-", "-", Markup.Escape(floors?.HttpError ?? "no floors in this document"));
        }

        console.Write(table);
    }

    private static string Ratio(double? value) => value is double v ? F(v, "0.00") : "-";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

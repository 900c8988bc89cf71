using FunctionsBench.BenchOrchestrator.Thesis;
using static FunctionsBench.BenchOrchestrator.Report.Html;

namespace FunctionsBench.BenchOrchestrator.Report;

/// <summary>
/// The report's first screen: Durable Functions against StateFun in this run, this run against every row of the
/// thesis' Tables 5.3 and 5.4, and one line on what each side is.
/// </summary>
internal static class HeadlineSection
{
    public static string Build(ResultsDocument document, IReadOnlyList<ScenarioSummary> summaries, IReadOnlyList<string> warnings)
    {
        var html = new StringBuilder("<h1>Durable Functions vs StateFun</h1>");
        html.Append("<p class=\"meta\">").Append(E(Describe(document))).Append("</p>");
        if (warnings.Count > 0)
        {
            html.Append("<div class=\"warn\"><b>Read these figures with care:</b><ul>")
                .AppendJoin(string.Empty, warnings.Select(w => $"<li>{E(w)}</li>")).Append("</ul></div>");
        }

        ProcedureCheck procedure = ProcedureCheck.Of(document);
        html.Append(ProcedureTable(procedure))
            .Append("<div class=\"pair\"><section><h2>This run</h2>").Append(RunTable(document, summaries, procedure)).Append("</section>")
            .Append("<section><h2>This run vs the thesis</h2>").Append(ThesisTable(summaries, procedure)).Append("</section></div>")
            .Append(Sides(document));
        return html.ToString();
    }

    /// <summary>Run id, time, host, storage and the shape of the run, on one line.</summary>
    private static string Describe(ResultsDocument document)
    {
        BenchSettings s = document.Settings;
        string storage = document.Storage is { Emulator: true } setup ? $" on Azurite{(setup.AzuriteMode is { } mode ? $" ({mode})" : string.Empty)}" : document.Storage?.Account is { } account ? $" on {account}" : string.Empty;
        string machine = document.Environment is { } env ? I($"; {env.ProcessorCount} cores") : string.Empty;
        return I($"Run {document.RunId}, {document.StartedAt:yyyy-MM-dd HH:mm} UTC, {(document.CompletedAt - document.StartedAt).TotalMinutes:0.#} min. ") +
            $"{document.Host} host, {document.StorageProvider}{storage}. " +
            I($"{s.Mode} mode{(s.Mode == BenchModes.Checkpointed ? I($" (a fresh orchestration every {s.CheckpointEvery})") : string.Empty)}, parallelism {s.Parallelism}, ") +
            I($"{s.Repetitions} repetition(s), {s.Warmup} warm-up invocations{machine}.");
    }

    /// <summary>Each (scenario, N): time, invocations/s, events/s, latency, and how many times more invocations/s StateFun made at that N.</summary>
    private static string RunTable(ResultsDocument document, IReadOnlyList<ScenarioSummary> summaries, ProcedureCheck procedure)
    {
        IReadOnlyList<HeadToHeadRow> pairs = ThesisComparison.HeadToHead(summaries);
        var rows = summaries.OrderBy(s => s.Invocations).ThenBy(s => Order(s.Scenario)).Select(s =>
        {
            HeadToHeadRow? pair = pairs.FirstOrDefault(p => p.Durable == s.Scenario && p.Invocations == s.Invocations);
            string interval = pair is not null && ProcedureCheck.HeadToHeadInterval(document, pair.Durable, pair.Invocations) is { } ci
                ? $" <span class=\"dim\">[{Sig(ci.Low)}&ndash;{Sig(ci.High)}]</span>"
                : string.Empty;
            string ratio = pair is null ? "&ndash;" : Times(pair.Ratio) + interval +
                (pair.ThesisRatio is double t ? $" <span class=\"dim\">(thesis {Times(t)}, {E(procedure.RatioLabel)})</span>" : string.Empty);
            // A cart unit runs at each number of users: without them its rows at one N would read alike.
            string n = Scenarios.HasUsers(s.Scenario) ? $"{W(s.Invocations)} <span class=\"dim\">{W(s.Users)} user{(s.Users == 1 ? "" : "s")}</span>" : W(s.Invocations);
            return (IEnumerable<string>)[Swatch(s.Scenario), n, Sig(s.MeanExecutionSeconds), Sig(ThesisComparison.InvocationsPerSecond(s)),
                Sig(s.MeanEventsPerSecond), Sig(s.MeanLatencyMs), ratio];
        });
        return Table(["scenario", "N", "time (s)", "invocations/s", "events/s", "mean latency (ms)", "StateFun's invocations/s &divide; this"], rows, "headline") +
            "<p class=\"note\">Means over the repetitions. Events/s is formula 4.1 (events per invocation &times; N &divide; execution time): 4 events per " +
            "df-activity or df-entity invocation, 12 per df-suborchestration, 1 per StateFun message, so invocations/s is the like-for-like rate. " +
            "[low&ndash;high]: the ratio's 95% interval over the repetitions (shown from two repetitions on).</p>";
    }

    /// <summary>Every row of Tables 5.3 and 5.4 beside this run at the same N; a printed throughput that formula 4.1 does not give is shown with the formula's.</summary>
    private static string ThesisTable(IReadOnlyList<ScenarioSummary> summaries, ProcedureCheck procedure)
    {
        IReadOnlyList<ThesisComparisonRow> rows = ThesisComparison.Rows(summaries);
        var cells = rows.Select(r =>
        {
            string printed = r.Thesis.PrintedDiffers
                ? $"<span class=\"differs\" title=\"printed {r.Thesis.Printed}; formula 4.1 on its own time gives {Sig(r.Thesis.EventsPerSecond)}\">{r.Thesis.Printed} &rarr; {Sig(r.Thesis.EventsPerSecond)}*</span>"
                : r.Thesis.Printed;
            return (IEnumerable<string>)[E(r.Thesis.Table), Swatch(r.Thesis.Scenario), W(r.Thesis.Invocations), W((long)r.Thesis.ExecutionSeconds), printed,
                r.Run is { } run ? Sig(run.MeanExecutionSeconds) : "<span class=\"dim\">not run</span>", r.Run is { } run2 ? Sig(run2.MeanEventsPerSecond) : "&ndash;",
                r.SpeedUp is double speedUp ? Times(speedUp) + SpeedUpInterval(r) + $" <span class=\"dim\">{E(procedure.RatioLabel)}</span>" : "&ndash;"];
        });
        bool anyDiffers = rows.Any(r => r.Thesis.PrintedDiffers);
        return Table(["table", "scenario", "N", "thesis time (s)", "thesis events/s", "this run time (s)", "this run events/s", "this run &divide; thesis"], cells, "headline") +
            (anyDiffers
                ? "<p class=\"note\">* The thesis prints a throughput that formula 4.1 does not give on its own execution time (e.g. Table 5.4 prints 0.8 at N = 4000 where " +
                  "4 &times; 4000 &divide; 18023 s = 0.89); the figure after the arrow is the formula's, and the ratio uses it.</p>"
                : string.Empty);
    }

    /// <summary>This run's configuration beside the thesis', aspect by aspect, and what the ratios to the thesis therefore mean.</summary>
    private static string ProcedureTable(ProcedureCheck procedure)
    {
        var rows = procedure.Aspects.Select(a => (IEnumerable<string>)[
            E(a.Aspect), $"<span class=\"text\">{E(a.ThisRun)}</span>", $"<span class=\"text\">{E(a.Thesis)}</span>",
            a.Matches ? "same" : a.Procedure ? "<b class=\"bad\">differs</b>" : "<span class=\"differs\">differs (platform)</span>"]);
        string verdict = procedure.SameProcedure
            ? "This run followed the thesis' procedure, so its ratios to the thesis compare the same measurement; " +
              (procedure.PlatformDifferences.Any()
                  ? "they still include the platform's difference (" + string.Join("; ", procedure.PlatformDifferences.Select(a => $"{a.Aspect}: {a.ThisRun}")) + ")."
                  : "the platform is the thesis' too.")
            : "This run did not follow the thesis' procedure, so every ratio to the thesis below is labelled \"" + ProcedureCheck.NotSameProcedure +
              "\": it compares two different measurements, and a ratio close to the thesis' does not mean the thesis was reproduced. " + ProcedureCheck.ThesisFlag + ".";
        return "<h2>This run's configuration vs the thesis'</h2>" + Table(["", "this run", "the thesis", ""], rows, "procedure") +
            $"<p class=\"{(procedure.SameProcedure ? "note" : "warn")}\">{E(verdict)}</p>";
    }

    /// <summary>The 95% interval of a row's ratio to the thesis, from the run's repetitions.</summary>
    private static string SpeedUpInterval(ThesisComparisonRow row)
        => row.Run is { } run && ProcedureCheck.SpeedUpInterval(run, row.Thesis) is { } ci
            ? $" <span class=\"dim\">[{Sig(ci.Low)}&ndash;{Sig(ci.High)}]</span>"
            : string.Empty;

    /// <summary>What each side of the comparison is, in a few lines.</summary>
    private static string Sides(ResultsDocument document)
    {
        string engine = document.Environment?.Components.TryGetValue("Microsoft.Azure.WebJobs.Extensions.DurableTask", out string? version) == true
            ? $"the Durable Functions extension {version}"
            : "the Durable Functions extension";
        string durable = document.Host == "embedded"
            ? $"{engine} on the WebJobs SDK in one process (the embedded host): the engine func start loads, without the Functions host's gRPC hop to a separate worker process and its HTTP pipeline."
            : $"{engine} under the Functions host (func start), the app in its isolated worker process.";
        string stateFun = document.StateFun is { } endpoint
            ? $"{endpoint.Label ?? "the StateFun endpoint"} at {endpoint.Url} ({endpoint.Kind}); runtime: {endpoint.Runtime}. The driver delivers one message at a time per address over request-reply HTTP and keeps the functions' state; a Flink cluster adds its own messaging, state backend and checkpoints."
            : "not run.";
        return "<ul class=\"sides\">" +
            $"<li><b>Durable Functions</b>: {E(durable)}</li>" +
            $"<li><b>StateFun</b>: {E(stateFun)}{(document.Host == "embedded" && document.StateFun is not null ? " " + E(FunctionsHostHop.Statement) : string.Empty)}</li>" +
            $"<li><b>Thesis</b>: {E(ThesisTables.TestBed)}; {ThesisTables.Repetitions} repetitions averaged.</li></ul>";
    }

    /// <summary>A scenario's name with its chart colour.</summary>
    public static string Swatch(string scenario)
        => $"<span class=\"swatch\" style=\"background:{Svg.ScenarioStyles.Of(scenario).Color}\"></span>{E(scenario)}";

    private static int Order(string scenario) => Scenarios.Names.ToList().IndexOf(scenario);
}

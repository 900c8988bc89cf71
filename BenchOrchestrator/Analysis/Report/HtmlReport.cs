using static FunctionsBench.BenchOrchestrator.Report.Html;

namespace FunctionsBench.BenchOrchestrator.Report;

/// <summary>
/// The self-contained HTML report of a run (inline SVG, no scripts, readable offline). The first screen answers the
/// question: Durable Functions against StateFun, and this run against the thesis' Tables 5.3 and 5.4; then the charts
/// that mirror the thesis' figures, latency over the run, the full tables, the floors, and what <c>./bench run</c>
/// found from outside the run (History cross-check, storage requests and faults, queue depths, machine load). A run
/// with shopping cart units also gets their section (<see cref="CartSection"/>) after the first screen.
/// </summary>
public static class HtmlReport
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:1.2em 2em;color:#222;max-width:1320px;font-size:14px}" +
        "h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.15em;margin:1.2em 0 .4em}.meta{color:#444;margin:.2em 0 .6em}" +
        "table{border-collapse:collapse;margin:.4em 0;font-size:13px}th,td{border:1px solid #ccc;padding:2px 6px;text-align:right;white-space:nowrap}" +
        "th{background:#f0f0f0;font-weight:600}td:first-child,th:first-child{text-align:left}.wide{overflow-x:auto;max-width:100%}" +
        "table.headline td:nth-child(-n+2),table.headline th:nth-child(-n+2){text-align:left}table.procedure td,table.procedure th{text-align:left}" +
        "td .text{white-space:normal;display:inline-block;text-align:left;max-width:520px}.env th{text-align:left;vertical-align:top}.env td{text-align:left;white-space:normal}" +
        ".note{color:#555;font-size:12.5px;margin:.3em 0 .8em}.dim{color:#888}.bad{color:#c00}.differs{color:#a50}" +
        ".warn{background:#fff4e0;border:1px solid #e0a040;padding:.3em .8em;margin:.5em 0}.warn ul{margin:.2em 0;padding-left:1.2em}" +
        ".swatch{display:inline-block;width:.8em;height:.8em;margin-right:.35em;border-radius:2px;vertical-align:-1px}" +
        ".sides{margin:.3em 0;padding-left:1.2em;font-size:13px}.sides li{margin:.15em 0}" +
        ".charts{display:flex;flex-wrap:wrap;gap:0 20px}figure{margin:.6em 0}figure .chart{max-width:100%;height:auto}" +
        ".charts figure{width:520px}figcaption{font-size:12px;color:#555;max-width:1060px}" +
        "h3{font-size:1em;margin:.9em 0 .3em}table.refs td,table.refs th{text-align:left;vertical-align:top;white-space:normal}table.refs td:nth-child(2){white-space:nowrap}";

    /// <summary>The tab title: what the run was (scenarios, N, mode, repetitions, host) and when, e.g. <c>FunctionsBench: 4 scenarios, N=200, checkpointed, 2 rep, embedded, 2026-12-07 22:57</c>.</summary>
    public static string Title(ResultsDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        string[] scenarios = [.. document.Results.Select(r => r.Scenario).Distinct()];
        int[] n = [.. document.Results.Select(r => r.Invocations).Distinct().Order()];
        string what = scenarios.Length == 1 ? scenarios[0] : I($"{scenarios.Length} scenarios");
        string sizes = n.Length == 0 ? "no results" : n.Length == 1 ? I($"N={n[0]}") : I($"N={n[0]}-{n[^1]}");
        return I($"FunctionsBench: {what}, {sizes}, {document.Settings.Mode}, {document.Settings.Repetitions} rep, {document.Host}, {document.StartedAt:yyyy-MM-dd HH:mm}");
    }

    /// <summary>
    /// The report of <paramref name="document"/>, with what <c>./bench run</c> found (<paramref name="inspection"/>, may be
    /// null), the timed invocations for the latency charts, and <paramref name="warnings"/> shown on the first screen.
    /// </summary>
    public static string Build(ResultsDocument document, Inspection? inspection, IReadOnlyList<EventRecord> events, IReadOnlyList<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(events);

        // Summaries are recomputed from the results, so documents older than a summary field report it too.
        IReadOnlyList<ScenarioSummary> summaries = ScenarioSummary.Of(document.Results);
        return new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(E(Title(document))).Append("</title><style>").Append(Style).Append("</style></head><body>")
            .Append(HeadlineSection.Build(document, summaries, warnings ?? []))
            .Append(CostSection.Headline(inspection))
            .Append(CartSection.Build(document))
            // Against N beside the thesis: the greeter's scenarios; the cart has its own charts against users.
            .Append(ChartsSection.Build([.. summaries.Where(s => !Scenarios.HasUsers(s.Scenario))]))
            .Append(SequenceChart.Build(document, events))
            .Append(LatencyRangeChart.Build(document))
            .Append(DriftSection.Build(inspection, events))
            .Append(DetailsSection.Summary(summaries))
            .Append(DetailsSection.Results(document))
            .Append(DetailsSection.Floors(document))
            .Append(DetailsSection.RemainingTime(summaries, document, inspection))
            .Append(InspectionSection.HistoryCheck(inspection?.HistoryCheck))
            .Append(InspectionSection.StorageFaults(inspection))
            .Append(InspectionSection.StorageRequests(inspection))
            .Append(CostSection.Details(inspection))
            .Append(QueueDepthSection.Build(document, inspection, events))
            .Append(EnvironmentSection.Build(document, inspection))
            .Append("</body></html>")
            .ToString();
    }
}

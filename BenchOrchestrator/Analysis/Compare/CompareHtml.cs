using System.Net;

namespace FunctionsBench.BenchOrchestrator.Compare;

/// <summary>The HTML page of <c>./bench compare</c>: the runs, then throughput and latency of each against the first.</summary>
public static class CompareHtml
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:1.2em 2em;color:#222;max-width:1320px;font-size:14px}h1{font-size:1.5em}h2{font-size:1.15em}" +
        ".warn{background:#fff4e0;border:1px solid #e0a040;padding:.3em .8em;margin:.5em 0}.warn ul{margin:.2em 0;padding-left:1.2em}" +
        "table{border-collapse:collapse;margin:.4em 0;font-size:13px}th,td{border:1px solid #ccc;padding:2px 6px;text-align:right;white-space:nowrap}" +
        "th{background:#f0f0f0}td:first-child,th:first-child{text-align:left}.wide{overflow-x:auto}.note{color:#555;font-size:12.5px}.sig{font-weight:600}";

    /// <summary>The page for <paramref name="runs"/> (the first is the baseline) and their <paramref name="rows"/>.</summary>
    /// <remarks><paramref name="differences"/> (<see cref="RunComparison.SettingsDifferences"/>) are shown first, as a warning.</remarks>
    public static string Build(IReadOnlyList<ComparedRun> runs, IReadOnlyList<ComparisonRow> rows, IReadOnlyList<string> unmatched, IReadOnlyList<string>? differences = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(unmatched);
        string title = $"FunctionsBench: {string.Join(" vs ", runs.Select((r, i) => $"{Letter(i)} {Path.GetFileName(Path.TrimEndingDirectorySeparator(r.Label))}"))}";
        var html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
            .Append(Style).Append("</style></head><body>")
            .Append(I($"<h1>Comparison of {runs.Count} runs against {E(Letter(0))}</h1>"));
        if (differences is { Count: > 0 })
        {
            html.Append("<div class=\"warn\"><b>The runs differ in more than the change under test</b>; their ratios include these settings' effect:<ul>")
                .AppendJoin(string.Empty, differences.Select(d => $"<li>{E(d)}</li>")).Append("</ul></div>");
        }

        html.Append("<h2>Runs</h2><div class=\"wide\"><table><tr><th></th><th>folder</th><th>run</th><th>started (UTC)</th>")
            .Append("<th>host, provider</th><th>mode</th><th>reps</th><th>commit</th><th>storage floor (steps/s)</th><th>HTTP floor (req/s)</th><th>host.json</th></tr>");
        for (int i = 0; i < runs.Count; i++)
        {
            ResultsDocument d = runs[i].Document;
            html.Append(I($"<tr><td>{Letter(i)}</td><td>{E(runs[i].Label)}</td><td title=\"{E(d.RunId)}\">{E(Short(d.RunId))}</td><td>{d.StartedAt:yyyy-MM-dd HH:mm}</td><td>{E(d.Host)}, {E(d.StorageProvider)}</td>"))
                .Append(I($"<td>{E(d.Settings.Mode)}</td><td>{d.Settings.Repetitions}</td><td>{E(d.Environment?.GitCommit is { Length: >= 7 } c ? c[..7] : "?")}</td>"))
                .Append(I($"<td>{Num(d.Floors?.Storage?.StepsPerSecond)}</td><td>{Num(d.Floors?.Http?.RequestsPerSecond)}</td><td>{E(Path.GetFileName(d.Environment?.HostJsonPath ?? "?"))}</td></tr>"));
        }

        html.Append("</table></div><h2>Throughput over repetitions</h2><div class=\"wide\"><table><tr><th>scenario</th><th>N</th><th>run</th>")
            .Append("<th>baseline events/s</th><th>run events/s</th><th>run &divide; baseline (95% CI)</th><th>p (Welch's t)</th></tr>");
        foreach (ComparisonRow r in rows)
        {
            string ratio = r.Throughput is { } t ? Format.Ratio(t.Ratio, t.Low, t.High) : Format.Ratio(r.ThroughputRatio) + " (one repetition: no interval)";
            html.Append(I($"<tr><td>{E(r.Scenario)}</td><td>{r.Invocations}</td><td>{Letter(runs, r.Other)}</td><td>{Mean(r.BaselineEventsPerSecond)}</td><td>{Mean(r.OtherEventsPerSecond)}</td>"))
                .Append(I($"<td{(r.Throughput?.Significant == true ? " class=\"sig\"" : string.Empty)}>{E(ratio)}</td><td>{(r.Throughput is { } tp ? E(Format.P(tp.PValue)) : "&ndash;")}</td></tr>"));
        }

        html.Append("</table></div><h2>Efficiency over repetitions</h2><div class=\"wide\"><table><tr><th>scenario</th><th>N</th><th>run</th>")
            .Append("<th>baseline efficiency</th><th>run efficiency</th><th>run &divide; baseline (95% CI)</th><th>p (Welch's t)</th></tr>");
        foreach (ComparisonRow r in rows)
        {
            string ratio = r.Efficiency is { } e ? Format.Ratio(e.Ratio, e.Low, e.High) : r.EfficiencyRatio is double point ? Format.Ratio(point) + " (one repetition: no interval)" : "no efficiency on a side";
            html.Append(I($"<tr><td>{E(r.Scenario)}</td><td>{r.Invocations}</td><td>{Letter(runs, r.Other)}</td><td>{Eff(r.BaselineEfficiency)}</td><td>{Eff(r.OtherEfficiency)}</td>"))
                .Append(I($"<td{(r.Efficiency?.Significant == true ? " class=\"sig\"" : string.Empty)}>{E(ratio)}</td><td>{(r.Efficiency is { } ep ? E(Format.P(ep.PValue)) : "&ndash;")}</td></tr>"));
        }

        html.Append("</table></div><p class=\"note\">Efficiency is each unit's invocations/s against the floor measured with it (report.html, 'Every result'): it factors out much of the ")
            .Append("machine, so between machines it is the figure to compare; events/s above is what this machine delivered.</p>");
        html.Append("<h2>Latency over every invocation</h2><div class=\"wide\"><table><tr><th>scenario</th><th>N</th><th>run</th>")
            .Append("<th>baseline mean (ms)</th><th>run mean (ms)</th><th>invocations</th><th>run &divide; baseline (95% CI)</th><th>p (Mann-Whitney U)</th></tr>");
        foreach (ComparisonRow r in rows)
        {
            html.Append(I($"<tr><td>{E(r.Scenario)}</td><td>{r.Invocations}</td><td>{Letter(runs, r.Other)}</td><td>{Num(r.BaselineLatencyMeanMs)}</td><td>{Num(r.OtherLatencyMeanMs)}</td>"))
                .Append(I($"<td>{r.LatencyCounts.Baseline} / {r.LatencyCounts.Other}</td>"))
                .Append(I($"<td{(r.Latency?.Significant == true ? " class=\"sig\"" : string.Empty)}>{(r.Latency is { } l ? E(Format.Ratio(l.Ratio, l.Low, l.High)) : "&ndash;")}</td><td>{(r.Latency is { } lp ? E(Format.P(lp.PValue)) : "&ndash;")}</td></tr>"));
        }

        html.Append("</table></div>");
        if (unmatched.Count > 0)
        {
            html.Append("<p class=\"note\">Not in the baseline, so not compared: ").Append(E(string.Join("; ", unmatched))).Append(".</p>");
        }

        return html.Append("<p class=\"note\">Ratios are of means, other run &divide; baseline, with 95% intervals by the delta method on the log scale ")
            .Append("(Welch-Satterthwaite degrees of freedom); bold where the test finds a difference at the 5% level. Throughput is tested over repetitions ")
            .Append("with Welch's t-test (it needs two repetitions a side); latency over every recorded invocation with the Mann-Whitney U test, which ")
            .Append("asks whether one run's latencies tend to be larger, whatever their distribution. Invocations of one run are not independent ")
            .Append("(a slow stretch of the machine slows many), so read latency p-values as a screen and repeat runs for a claim.</p></body></html>").ToString();
    }

    /// <summary>The letter that names run <paramref name="index"/>: A for the baseline, then B, C, ...</summary>
    public static string Letter(int index) => index < 26 ? ((char)('A' + index)).ToString() : I($"R{index + 1}");

    private static string Letter(IReadOnlyList<ComparedRun> runs, string label)
        => Letter(runs.Select((r, i) => (r, i)).First(p => p.r.Label == label).i);

    private static string Short(string runId) => runId.Length > 8 ? runId[..8] + "…" : runId;

    private static string Eff(IReadOnlyList<double>? values) => values is { Count: > 0 } v ? I($"{v.Average():0.00} (n={v.Count})") : "&ndash;";

    private static string Mean(IReadOnlyList<double> values) => I($"{Num(values.Average())} (n={values.Count})");

    private static string Num(double? value) => value is double v ? v.ToString(v >= 100 ? "#,0" : v >= 1 ? "0.00" : "0.####", CultureInfo.InvariantCulture) : "&ndash;";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

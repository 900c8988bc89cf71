using System.Globalization;
using System.Net;
using System.Text;
using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.BenchOrchestrator.History;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// The self-contained HTML report of a run (inline SVG, no scripts, readable offline): the thesis-style tables,
/// throughput against N with the thesis' published figures as reference, latency percentiles, latency over the
/// sequence number and, when <c>./bench run</c> added them, the History cross-check and the task hub's queue depths.
/// </summary>
public static class HtmlReport
{
    /// <summary>Table 5.3 of the thesis: StateFun, N to events per second.</summary>
    public static IReadOnlyList<(int N, double EventsPerSecond)> ThesisStateFun { get; } = [(1000, 28), (4000, 48), (8000, 63), (16000, 65)];

    /// <summary>Table 5.4 of the thesis: Durable Functions (activity, 4 events per invocation), N to events per second.</summary>
    public static IReadOnlyList<(int N, double EventsPerSecond)> ThesisDurableFunctions { get; } = [(1000, 2.1), (2000, 1.78), (3000, 1.2), (4000, 0.8)];

    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

    /// <summary>The report of <paramref name="document"/> and, when <c>./bench run</c> made one, its <paramref name="inspection"/>; <paramref name="events"/> feed the latency-over-sequence chart.</summary>
    public static string Build(ResultsDocument document, Inspection? inspection, IReadOnlyList<EventRecord> events)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>FunctionsBench ")
            .Append(Encode(document.RunId)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}table{border-collapse:collapse;margin:1em 0;font-size:85%}")
            .Append(".wide{overflow-x:auto;max-width:100%}svg{max-width:100%;height:auto}")
            .Append("th,td{border:1px solid #bbb;padding:3px 6px;text-align:right}th{background:#eee;font-weight:600}td:first-child,th:first-child{text-align:left}")
            .Append("figure{margin:1.5em 0}figcaption{font-size:90%;color:#555}.note{color:#555;font-size:90%}</style></head><body>");
        html.Append("<h1>FunctionsBench run ").Append(Encode(document.RunId)).Append("</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Host <b>{Encode(document.Host)}</b>, storage provider <b>{Encode(document.StorageProvider)}</b>, mode <b>{Encode(document.Settings.Mode)}</b>")
            .Append(CultureInfo.InvariantCulture, $" (checkpoint every {document.Settings.CheckpointEvery}), parallelism {document.Settings.Parallelism}, ")
            .Append(CultureInfo.InvariantCulture, $"{document.Settings.Repetitions} repetition(s); started {document.StartedAt:u}, completed {document.CompletedAt:u}.</p>");
        if (document.Storage is { } storage)
        {
            html.Append("<p>Storage: ").Append(Encode(storage.Describe())).Append(".</p>");
        }

        AppendFloors(html, document);
        AppendResultsTable(html, document);
        html.Append(string.Concat(StorageFaults.Notes(inspection).Select(n => $"<p class=\"note\" style=\"color:#a00\">Storage faults: {Encode(n)}</p>")));
        AppendSummaryTable(html, document);
        AppendRemainingTime(html, document, inspection);
        AppendStorageRequests(html, inspection);
        html.Append(ThroughputChart(document));
        html.Append(PercentileChart(document));
        html.Append(SequenceChart(events));
        AppendHistoryCheck(html, inspection?.HistoryCheck);
        AppendQueueDepths(html, document, inspection, events);
        html.Append("<p class=\"note\">Reference series: the thesis' Table 5.3 (Flink StateFun, 1 task manager, parallelism 4) and Table 5.4 ")
            .Append("(Durable Functions on Azure Storage, activity calls, 4 events per invocation), both run locally on one machine. ")
            .Append("Throughput is formula 4.1: events per invocation x invocations / execution time.</p>");
        html.Append("</body></html>");
        return html.ToString();
    }

    private static void AppendResultsTable(StringBuilder html, ResultsDocument document)
    {
        html.Append("<h2>Results</h2><div class=\"wide\"><table><tr><th>scenario</th><th>N</th><th>rep</th><th>time (s)</th>")
            .Append("<th>events/s</th><th>inv/s</th><th>recorded</th><th>mean ms</th><th>p50</th><th>p90</th><th>p99</th><th>max</th>")
            .Append("<th>steps/inv</th><th>efficiency</th></tr>");
        foreach (ScenarioResult r in document.Results)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{Encode(r.Scenario)}</td><td>{r.Invocations}</td><td>{r.Repetition}</td><td>{r.ExecutionSeconds:0.00}</td><td>{r.EventsPerSecond:0.0}</td>")
                .Append(CultureInfo.InvariantCulture,
                $"<td>{r.InvocationsPerSecond:0.0}</td><td>{r.Recorded}</td><td>{r.LatencyMs.Mean:0.0}</td><td>{r.LatencyMs.P50:0.0}</td><td>{r.LatencyMs.P90:0.0}</td><td>{r.LatencyMs.P99:0.0}</td><td>{r.LatencyMs.Max:0.0}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{r.StepsPerInvocation}</td><td>{Ratio(r.Efficiency)}</td></tr>");
        }

        html.Append("</table></div><p class=\"note\">N: invocations; time: execution time from the first invocation's start to the last one's end; ")
            .Append("events/s: throughput by formula 4.1; latencies in ms.</p>");
    }

    private static void AppendSummaryTable(StringBuilder html, ResultsDocument document)
    {
        html.Append("<h2>Over repetitions</h2><table><tr><th>scenario</th><th>invocations</th><th>repetitions</th><th>mean execution time (s)</th>")
            .Append("<th>mean throughput (events/s)</th><th>CV</th><th>95% CI (&plusmn; events/s)</th><th>mean efficiency</th></tr>");
        foreach (ScenarioSummary s in document.Summary)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{Encode(s.Scenario)}</td><td>{s.Invocations}</td><td>{s.Repetitions}</td><td>{s.MeanExecutionSeconds:0.00}</td><td>{s.MeanEventsPerSecond:0.0}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{(s.Cv is double cv ? cv.ToString("0.000", CultureInfo.InvariantCulture) : "&ndash;")}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{(s.Ci95 is double ci ? ci.ToString("0.0", CultureInfo.InvariantCulture) : "&ndash;")}</td><td>{Ratio(s.MeanEfficiency)}</td></tr>");
        }

        html.Append("</table><p class=\"note\">CV and confidence interval need at least two repetitions.</p>");
    }

    private static void AppendFloors(StringBuilder html, ResultsDocument document)
    {
        html.Append("<h2>Floors</h2>");
        if (document.Floors is not { } floors)
        {
            html.Append("<p class=\"note\">This results document has no floors (it predates them).</p>");
            return;
        }

        html.Append("<table><tr><th>floor</th><th>rate</th><th>mean (ms)</th><th>p50</th><th>p99</th><th>measured</th><th>against</th></tr>");
        if (floors.Storage is { } storage)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>storage (one provider step: {storage.OperationsPerStep} operations)</td><td>{storage.StepsPerSecond:0.0} steps/s</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{storage.MsPerStep.Mean:0.00}</td><td>{storage.MsPerStep.P50:0.00}</td><td>{storage.MsPerStep.P99:0.00}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{storage.Steps} steps in {storage.Seconds:0.0} s</td><td>{Encode(storage.Connection)} ({Encode(storage.QueueEndpoint)})</td></tr>");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>storage</td><td colspan=\"6\">not measured: {Encode(floors.StorageError ?? "no reason recorded")}</td></tr>");
        }

        if (floors.Http is { } http)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>HTTP (POST of {http.BodyBytes} bytes to a no-op)</td><td>{http.RequestsPerSecond:0.0} requests/s</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{http.Ms.Mean:0.000}</td><td>{http.Ms.P50:0.000}</td><td>{http.Ms.P99:0.000}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{http.Requests} requests in {http.Seconds:0.0} s</td><td>{Encode(http.Url)}</td></tr>");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>HTTP</td><td colspan=\"6\">not measured: {Encode(floors.HttpError ?? "no reason recorded")}</td></tr>");
        }

        html.Append("</table><p class=\"note\">The storage floor is the storage operations one sequential step of the Azure Storage provider needs at ")
            .Append("minimum (control-queue receive, History batch of 4, Instances upsert, work-item send, control delete, work-item receive, control send, ")
            .Append("work-item delete), one step after another against the task hub's storage account. The HTTP floor is sequential POSTs of a ")
            .Append("StateFun-sized body to the no-op endpoint beside the StateFun endpoint, over the StateFun driver's client. ")
            .Append("Efficiency = invocations/s &times; steps per invocation &divide; the floor's rate (storage for df-activity 1, df-suborchestration 3, ")
            .Append("df-entity 2 steps; HTTP for statefun, 2 requests per invocation).</p>");
    }

    /// <summary>Per (scenario, N): how much longer a floor step took in the scenario than in the floor, and what that time is.</summary>
    private static void AppendRemainingTime(StringBuilder html, ResultsDocument document, Inspection? inspection)
    {
        var sentences = new List<string>();
        foreach (ScenarioSummary s in document.Summary)
        {
            double[] rates = [.. document.Results.Where(r => r.Scenario == s.Scenario && r.Invocations == s.Invocations && r.FloorRate is not null).Select(r => r.FloorRate!.Value)];
            if (s.MeanEfficiency is not double efficiency || efficiency <= 0 || rates.Length == 0)
            {
                continue;
            }

            double rate = rates.Average();

            bool http = Scenarios.Get(s.Scenario).Floor == FloorKind.Http;
            double floorMs = 1000 / rate;
            double stepMs = floorMs / efficiency;
            string unit = http ? "HTTP request" : "storage step";
            if (efficiency >= 1)
            {
                sentences.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{s.Scenario} at N={s.Invocations} reached its floor ({stepMs:0.00} ms per {unit} against the floor's {floorMs:0.00} ms): nothing measurable is left above it."));
                continue;
            }

            string where = http
                ? "is spent between the no-op's bare request and the real one: the greeter's work (protobuf decoding, state handling, the reply) and the driver's bookkeeping and greeting checks between requests"
                : "is spent outside the floor's storage operations: in the Durable Task engine (queue polling and its back-off, loading and replaying history, (de)serialization, the extra storage calls a real step makes) and in recording the timings";
            string sentence = string.Create(CultureInfo.InvariantCulture,
                $"{s.Scenario} at N={s.Invocations} took {stepMs:0.00} ms per {unit} against the floor's {floorMs:0.00} ms (efficiency {efficiency:0.00}); the remaining {stepMs - floorMs:0.00} ms ({1 - efficiency:0%}) {where}.");
            if (!http && RequestsPerInvocation(inspection, s.Scenario, s.Invocations) is { } measured)
            {
                int floorRequests = Scenarios.Get(s.Scenario).StepsPerInvocation * StorageFloor.StepOperations;
                string top = string.Join(", ", measured.ByOperation.OrderByDescending(o => o.Value).Take(3).Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key} {o.Value:0.0}")));
                sentence += string.Create(CultureInfo.InvariantCulture,
                    $" Counted: {measured.PerInvocation:0.0} storage requests per invocation where the floor has {floorRequests} (most: {top}); requests differ in cost (an empty receive is cheap), so the count explains the extra work, not its exact time.");
            }

            sentences.Add(sentence);
        }

        html.Append("<h2>Where the remaining time goes</h2>");
        html.Append(sentences.Count == 0
            ? "<p class=\"note\">No efficiency could be computed: the floors were not measured (see above).</p>"
            : "<ul>" + string.Concat(sentences.Select(t => $"<li>{Encode(t)}</li>")) + "</ul>");
    }

    /// <summary>The mean storage requests per invocation over the repetitions of (scenario, N), or null when not counted.</summary>
    private static (double PerInvocation, IReadOnlyDictionary<string, double> ByOperation)? RequestsPerInvocation(Inspection? inspection, string scenario, int invocations)
    {
        StorageRequestCount[] counts = inspection?.StorageRequests?.Where(c => c.Scenario == scenario && c.Invocations == invocations).ToArray() ?? [];
        if (counts.Length == 0)
        {
            return null;
        }

        Dictionary<string, double> byOperation = StorageOperations.All
            .Where(o => counts.Any(c => c.ByOperation.ContainsKey(o)))
            .ToDictionary(o => o, o => counts.Average(c => c.ByOperation.GetValueOrDefault(o)), StringComparer.Ordinal);
        return (counts.Average(c => c.PerInvocation), byOperation);
    }

    /// <summary>Storage requests per invocation by operation, per result (embedded host only).</summary>
    private static void AppendStorageRequests(StringBuilder html, Inspection? inspection)
    {
        if (inspection?.StorageRequests is not { Count: > 0 } counts)
        {
            return;
        }

        string[] operations = [.. StorageOperations.All.Where(o => counts.Any(c => c.ByOperation.ContainsKey(o)))];
        html.Append("<h2>Storage requests per invocation</h2><div class=\"wide\"><table><tr><th>scenario</th><th>N</th><th>rep</th><th>total</th>");
        foreach (string operation in operations)
        {
            html.Append("<th>").Append(Encode(operation)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (StorageRequestCount c in counts)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(c.Scenario)}</td><td>{c.Invocations}</td><td>{c.Repetition}</td><td>{c.PerInvocation:0.00}</td>");
            foreach (string operation in operations)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{c.ByOperation.GetValueOrDefault(operation):0.00}</td>");
            }

            html.Append("</tr>");
        }

        html.Append(CultureInfo.InvariantCulture,
            $"</table></div><p class=\"note\">Every request of the task hub's storage clients while the unit ran, divided by N: the steps themselves, idle polls of the other queues, lease renewals, the status polls of <code>./bench run</code>, checkpoints and timing records. The storage floor's step has {StorageFloor.StepOperations}: one each of control receive, History batch, Instances upsert, work-item send, control delete, work-item receive, control send, work-item delete.</p>");
    }

    /// <summary>The History cross-check: recorded times against the History table's rows, and rows per invocation against formula 4.1.</summary>
    private static void AppendHistoryCheck(StringBuilder html, HistoryCheck? check)
    {
        html.Append("<h2>History cross-check</h2>");
        if (check is null)
        {
            html.Append("<p class=\"note\">Not in this document: <code>./bench run</code> reads the task hub's History table after a run and adds ")
                .Append("<code>historyCheck</code> to the results.json it writes; the orchestration's output and GET /api/bench/{id}/report do not have it.</p>");
            return;
        }

        string table = Encode(HistoryCheck.TableName(check.TaskHub));
        if (!check.Available)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{table}: ").Append(Encode(string.Join(" ", check.Notes))).Append("</p>");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<p>{check.Rows} rows of this run read from <b>{table}</b>, where the thesis read its timings by hand.</p>")
            .Append("<div class=\"wide\"><table><tr><th>scenario</th><th>N</th><th>rep</th><th>recorded</th><th>matched</th><th>events/inv (formula)</th>")
            .Append("<th>events/inv (History)</th><th>start gap p50</th><th>max</th><th>end gap p50</th><th>max</th><th>note</th></tr>");
        foreach (HistoryCheckResult r in check.Results)
        {
            string measured = r.MeasuredEventsPerInvocation is double m ? m.ToString("0.###", CultureInfo.InvariantCulture) : "&ndash;";
            if (r.CalleeEventsPerInvocation is double callee)
            {
                measured += string.Create(CultureInfo.InvariantCulture, $" ({callee:0.##} own)");
            }

            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(r.Scenario)}</td><td>{r.Invocations}</td><td>{r.Repetition}</td><td>{r.Recorded}</td><td>{r.Matched}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{r.EventsPerInvocation}</td><td>{measured}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{Ms(r.StartGapMs?.Median)}</td><td>{Ms(r.StartGapMs?.Max)}</td><td>{Ms(r.EndGapMs?.Median)}</td><td>{Ms(r.EndGapMs?.Max)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td style=\"text-align:left\">{Encode(r.Note ?? string.Empty)}</td></tr>");
        }

        html.Append("</table></div><ul class=\"note\">").Append(string.Concat(check.Notes.Select(n => $"<li>{Encode(n)}</li>"))).Append("</ul>");
    }

    /// <summary>
    /// The task hub's queue lengths over the run, and per unit the deepest they got: where a backlog builds, latency and
    /// throughput include the time messages waited, so the benchmark measures queueing there.
    /// </summary>
    private static void AppendQueueDepths(StringBuilder html, ResultsDocument document, Inspection? inspection, IReadOnlyList<EventRecord> events)
    {
        if (inspection?.QueueDepths is not { Count: > 0 } samples)
        {
            return;
        }

        html.Append("<h2>Queue depths</h2>");
        int threshold = QueueDepthSample.BacklogAbove(document.Settings.Parallelism);
        IReadOnlyList<(double From, double To, int Deepest)> backlogs = QueueDepthSample.Backlogs(samples, threshold);
        html.Append(backlogs.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"<p>No backlog: the control and work-item queues never held more than {threshold} messages, so the timings are of the invocations, not of messages waiting in queues.</p>")
            : string.Create(CultureInfo.InvariantCulture, $"<p class=\"backlog\"><b>Backlog built</b> (more than {threshold} messages) at ")
                + string.Join(", ", backlogs.Select(b => string.Create(CultureInfo.InvariantCulture, $"t = {b.From:0.#}&ndash;{b.To:0.#} s (up to {b.Deepest})")))
                + ": there messages wait in the queues and the benchmark is measuring queueing, not the invocations' own cost.</p>");

        var series = new List<Series>
        {
            new("control queue(s)", samples.Where(q => q.T >= 0).Select(q => (q.T, (double)q.Control)).ToList(), Dashed: false),
            new("work-item queue", samples.Where(q => q.T >= 0).Select(q => (q.T, (double)q.WorkItems)).ToList(), Dashed: false),
        };
        html.Append(Figure("Approximate messages in the task hub's queues, sampled about every second by ./bench run",
            LineChart(series, "seconds since the run started", "messages", logY: false)));

        var spans = events.GroupBy(e => (e.Scenario, e.Invocations, e.Repetition))
            .Select(g => (Unit: g.Key, From: (g.Min(e => e.Start) - document.StartedAt).TotalSeconds, To: (g.Max(e => e.End) - document.StartedAt).TotalSeconds))
            .OrderBy(u => u.From)
            .ToList();
        if (spans.Count == 0)
        {
            return;
        }

        html.Append("<table><tr><th>scenario</th><th>N</th><th>rep</th><th>from (s)</th><th>to (s)</th><th>samples</th><th>max control</th><th>max work items</th></tr>");
        foreach (var span in spans)
        {
            QueueDepthSample[] inside = samples.Where(q => q.T >= span.From && q.T <= span.To).ToArray();
            int control = inside.Length == 0 ? 0 : inside.Max(q => q.Control), workItems = inside.Length == 0 ? 0 : inside.Max(q => q.WorkItems);
            string Cell(int depth) => depth > threshold ? $"<td><b>{depth}</b></td>" : $"<td>{depth}</td>";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(span.Unit.Scenario)}</td><td>{span.Unit.Invocations}</td><td>{span.Unit.Repetition}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{span.From:0.0}</td><td>{span.To:0.0}</td><td>{inside.Length}</td>{Cell(control)}{Cell(workItems)}</tr>");
        }

        html.Append("</table><p class=\"note\">Approximate counts include messages being processed (invisible while leased). ")
            .Append("A sequential run keeps one or two messages in flight; a unit whose maximum is bold had a backlog.</p>");
    }

    private static string Ms(double? value) => value is double v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "&ndash;";

    private static string Ratio(double? value) => value is double v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "&ndash;";

    private static string ThroughputChart(ResultsDocument document)
    {
        var series = document.Summary.GroupBy(s => s.Scenario)
            .Select(g => new Series(g.Key, g.OrderBy(s => s.Invocations).Select(s => ((double)s.Invocations, s.MeanEventsPerSecond)).ToList(), Dashed: false))
            .ToList();
        series.Add(new Series("thesis: StateFun (Table 5.3)", ThesisStateFun.Select(p => ((double)p.N, p.EventsPerSecond)).ToList(), Dashed: true));
        series.Add(new Series("thesis: Durable Functions (Table 5.4)", ThesisDurableFunctions.Select(p => ((double)p.N, p.EventsPerSecond)).ToList(), Dashed: true));
        double[] n = series.SelectMany(x => x.Points).Select(p => p.X).Where(x => x > 0).ToArray();
        bool logX = n.Length > 0 && n.Max() > LogAxisSpan * n.Min();
        return Figure($"Throughput against the number of invocations (mean over repetitions; log scale{(logX ? " on both axes" : string.Empty)})",
            LineChart(series, "invocations (N)", "events per second", logY: true, logX: logX));
    }

    private static string PercentileChart(ResultsDocument document)
    {
        var rows = document.Results.GroupBy(r => (r.Scenario, r.Invocations))
            .Select(g => (Label: $"{g.Key.Scenario} N={g.Key.Invocations}", P50: g.Average(r => r.LatencyMs.P50), P90: g.Average(r => r.LatencyMs.P90), P99: g.Average(r => r.LatencyMs.P99)))
            .ToList();
        if (rows.Count == 0)
        {
            return string.Empty;
        }

        const int barHeight = 10, groupGap = 12, left = 230, width = 820;
        double max = Math.Max(rows.Max(r => r.P99), 1e-3);
        int height = (rows.Count * ((3 * barHeight) + groupGap)) + 40;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-size=\"11\">");
        int y = 10;
        string[] colors = ["#9ecae1", "#4292c6", "#08519c"];
        foreach (var row in rows)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{y + (1.8 * barHeight)}\" text-anchor=\"end\">{Encode(row.Label)}</text>");
            double[] values = [row.P50, row.P90, row.P99];
            for (int i = 0; i < 3; i++)
            {
                double w = values[i] / max * (width - left - 90);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y}\" width=\"{w:0.0}\" height=\"{barHeight - 1}\" fill=\"{colors[i]}\"/>")
                    .Append(CultureInfo.InvariantCulture, $"<text x=\"{left + w + 4:0.0}\" y=\"{y + barHeight - 2}\">{values[i]:0.0} ms</text>");
                y += barHeight;
            }

            y += groupGap;
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{height - 8}\">bars: p50, p90, p99 (mean over repetitions)</text></svg>");
        return Figure("Latency percentiles per scenario and N", svg.ToString());
    }

    private static string SequenceChart(IReadOnlyList<EventRecord> events)
    {
        if (events.Count == 0)
        {
            return "<p class=\"note\">No per-event records were available for the latency-over-sequence chart.</p>";
        }

        // The first repetition at the largest N shows history growth most clearly; buckets keep the SVG small.
        int largest = events.Max(e => e.Invocations);
        var series = events.Where(e => e.Invocations == largest && e.Repetition == 1)
            .GroupBy(e => e.Scenario)
            .Select(g =>
            {
                EventRecord[] ordered = g.OrderBy(e => e.Sequence).ToArray();
                int bucket = Math.Max(1, ordered.Length / 300);
                var points = ordered.Chunk(bucket).Select(c => ((double)c[0].Sequence, c.Average(e => e.LatencyMs))).ToList();
                return new Series(g.Key, points, Dashed: false);
            })
            .ToList();
        return Figure($"Latency over the sequence number (N={largest}, repetition 1; each point averages consecutive invocations). " +
            "A rising line is history growth (single mode); checkpointed mode keeps it flat.",
            LineChart(series, "sequence number", "latency (ms)", logY: false));
    }

    private sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points, bool Dashed);

    private static string LineChart(IReadOnlyList<Series> series, string xLabel, string yLabel, bool logY, bool logX = false)
    {
        const int width = 820, height = 360, left = 70, right = 250, top = 15, bottom = 45;
        bool Plotted((double X, double Y) p) => (!logY || p.Y > 0) && (!logX || p.X > 0);
        var all = series.SelectMany(s => s.Points).Where(Plotted).ToList();
        if (all.Count == 0)
        {
            return string.Empty;
        }

        Axis xAxis = logX ? Axis.Log(all.Min(p => p.X), all.Max(p => p.X), decadesOnly: false) : Axis.Linear(all.Min(p => p.X), all.Max(p => p.X));
        Axis yAxis = logY ? Axis.Log(all.Min(p => p.Y), all.Max(p => p.Y), decadesOnly: true) : Axis.Linear(0, all.Max(p => p.Y));
        double X(double x) => left + (xAxis.Fraction(x) * (width - left - right));
        double Y(double y) => height - bottom - (yAxis.Fraction(y) * (height - top - bottom));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-size=\"11\">")
            .Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{width - left - right}\" height=\"{height - top - bottom}\" fill=\"none\" stroke=\"#888\"/>");
        foreach (double xv in xAxis.Ticks)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(xv):0.0}\" x2=\"{X(xv):0.0}\" y1=\"{top}\" y2=\"{height - bottom}\" stroke=\"#eee\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{X(xv):0.0}\" y=\"{height - bottom + 15}\" text-anchor=\"middle\">{TickLabel(xv)}</text>");
        }

        foreach (double yv in yAxis.Ticks)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(yv):0.0}\" y2=\"{Y(yv):0.0}\" stroke=\"#eee\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 5}\" y=\"{Y(yv) + 4:0.0}\" text-anchor=\"end\">{TickLabel(yv)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(left + width - right) / 2}\" y=\"{height - 8}\" text-anchor=\"middle\">{Encode(xLabel)}</text>")
            .Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16,{(top + height - bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">{Encode(yLabel)}</text>");

        for (int i = 0; i < series.Count; i++)
        {
            Series s = series[i];
            string color = Palette[i % Palette.Length];
            var points = s.Points.Where(Plotted).Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.X):0.0},{Y(p.Y):0.0}")).ToList();
            string dash = s.Dashed ? " stroke-dasharray=\"6,4\"" : string.Empty;
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{dash} points=\"{string.Join(' ', points)}\"/>");
            foreach (string p in points.Count <= 40 ? points : [])
            {
                string[] xy = p.Split(',');
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"3\" fill=\"{color}\"/>");
            }

            int ly = top + 10 + (i * 18);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{width - right + 10}\" x2=\"{width - right + 34}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{width - right + 40}\" y=\"{ly + 4}\">{Encode(s.Name)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Round tick values from <paramref name="min"/> to <paramref name="max"/>: multiples of 1, 2 or 5 x 10^k, about
    /// <paramref name="target"/> of them, the first at or below min and the last at or above max.
    /// </summary>
    public static IReadOnlyList<double> NiceTicks(double min, double max, int target = 5)
    {
        if (!(max > min))
        {
            max = min + 1;
        }

        double raw = (max - min) / Math.Max(1, target);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2, 5, 10 }.Select(m => m * magnitude).First(candidate => candidate >= raw * (1 - 1e-9));
        long first = (long)Math.Floor((min / step) + 1e-9), last = (long)Math.Ceiling((max / step) - 1e-9);
        return Enumerable.Range(0, (int)(last - first) + 1).Select(i => Math.Round((first + i) * step, 10)).ToList();
    }

    /// <summary>
    /// Ticks of a log axis from <paramref name="min"/> to <paramref name="max"/> (both positive): the powers of ten, and
    /// when fewer than three of those fall in the range also 2 and 5 x 10^k.
    /// </summary>
    public static IReadOnlyList<double> LogTicks(double min, double max)
    {
        int low = (int)Math.Floor(Math.Log10(min)), high = (int)Math.Ceiling(Math.Log10(max));
        IEnumerable<double> Candidates(double[] mantissas) => Enumerable.Range(low, high - low + 1)
            .SelectMany(e => mantissas.Select(m => Math.Round(m * Math.Pow(10, e), 10)))
            .Where(v => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9));
        List<double> decades = Candidates([1]).ToList();
        return decades.Count >= 3 ? decades : Candidates([1, 2, 5]).ToList();
    }

    /// <summary>The span of N above which the throughput chart's x axis is logarithmic.</summary>
    public const double LogAxisSpan = 4;

    private static string TickLabel(double value) => value.ToString(Math.Abs(value) >= 1 || value == 0 ? "#,0.##" : "0.###", CultureInfo.InvariantCulture);

    /// <summary>A chart axis: its range, whether it is logarithmic, and its ticks.</summary>
    private sealed record Axis(double Min, double Max, bool IsLog, IReadOnlyList<double> Ticks)
    {
        public static Axis Linear(double min, double max)
        {
            IReadOnlyList<double> ticks = NiceTicks(min, max);
            return new Axis(ticks[0], ticks[^1], false, ticks);
        }

        /// <summary>A log axis: whole decades (y), or 20% beyond the data with 1-2-5 ticks (x).</summary>
        public static Axis Log(double min, double max, bool decadesOnly)
        {
            double low = decadesOnly ? Math.Pow(10, Math.Floor(Math.Log10(min))) : min / 1.25;
            double high = decadesOnly ? Math.Pow(10, Math.Ceiling(Math.Log10(max))) : max * 1.25;
            if (high <= low)
            {
                high = low * 10;
            }

            return new Axis(low, high, true, decadesOnly
                ? Enumerable.Range((int)Math.Round(Math.Log10(low)), (int)Math.Round(Math.Log10(high / low)) + 1).Select(e => Math.Pow(10, e)).ToList()
                : LogTicks(low, high));
        }

        public double Fraction(double value) => this.IsLog
            ? (Math.Log10(value) - Math.Log10(this.Min)) / (Math.Log10(this.Max) - Math.Log10(this.Min))
            : (value - this.Min) / (this.Max - this.Min);
    }

    private static string Figure(string caption, string body)
        => string.IsNullOrEmpty(body) ? string.Empty : $"<figure>{body}<figcaption>{Encode(caption)}</figcaption></figure>";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

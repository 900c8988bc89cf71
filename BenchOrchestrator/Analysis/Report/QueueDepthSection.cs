using FunctionsBench.BenchOrchestrator.History;
using FunctionsBench.BenchOrchestrator.Report.Svg;
using static FunctionsBench.BenchOrchestrator.Report.Html;

namespace FunctionsBench.BenchOrchestrator.Report;

/// <summary>
/// The task hub's queue lengths over the run, and per unit the deepest they got: where a backlog builds, latency and
/// throughput include the time messages waited, so the benchmark measures queueing there.
/// </summary>
internal static class QueueDepthSection
{
    public static string Build(ResultsDocument document, Inspection? inspection, IReadOnlyList<EventRecord> events)
    {
        if (inspection?.QueueDepths is not { Count: > 0 } samples)
        {
            return string.Empty;
        }

        int threshold = QueueDepthSample.BacklogAbove(document.Settings.Parallelism);
        IReadOnlyList<UnitWindow> windows = UnitWindow.Of(events);
        var (measured, elsewhere) = QueueDepthSample.BacklogsByWindow(samples, threshold, windows, document.StartedAt);
        static string At(IEnumerable<(double From, double To, int Deepest)> backlogs)
            => string.Join(", ", backlogs.Select(b => I($"t = {b.From:0.#}&ndash;{b.To:0.#} s (up to {b.Deepest})")));
        string verdict = measured.Count + elsewhere.Count == 0
            ? I($"<p>No backlog: the control and work-item queues never held more than {threshold} messages, so the timings are of the invocations, not of messages waiting in queues.</p>")
            : (measured.Count == 0 ? string.Empty : I($"<p class=\"warn\"><b>Backlog built</b> (more than {threshold} messages) in Durable Functions units at ") + At(measured) +
                  ": there messages wait in the queues and the benchmark is measuring queueing, not the invocations' own cost.</p>") +
              (elsewhere.Count == 0 ? string.Empty : I($"<p>More than {threshold} messages only outside the Durable Functions units' timed windows, at ") + At(elsewhere) +
                  ": in no figure of the run (between units the timing records are written; a StateFun unit's driver calls its endpoint directly).</p>");
        var chart = new LineChart
        {
            Title = "Messages in the task hub's queues",
            XLabel = "seconds since the run started",
            YLabel = "messages",
            Width = 1060,
            PlotHeight = 160,
            Series =
            [
                new("control queue(s)", [.. samples.Where(q => q.T >= 0).Select(q => (q.T, (double)q.Control))], new SeriesStyle("#1f78b4", Marker.None)),
                new("work-item queue", [.. samples.Where(q => q.T >= 0).Select(q => (q.T, (double)q.WorkItems))], new SeriesStyle("#e7298a", Marker.None, Dashed: true)),
            ],
        };

        string Cell(int depth) => depth > threshold ? I($"<b class=\"bad\">{depth}</b>") : I($"{depth}");
        var rows = windows.Select(window =>
        {
            double from = window.FromSeconds(document.StartedAt), to = window.ToSeconds(document.StartedAt);
            QueueDepthSample[] inside = [.. samples.Where(q => q.T >= from && q.T <= to)];
            return (IEnumerable<string>)[E(window.Scenario), I($"{window.Invocations}"), I($"{window.Repetition}"), N(from), N(to), I($"{inside.Length}"),
                Cell(inside.Length == 0 ? 0 : inside.Max(q => q.Control)), Cell(inside.Length == 0 ? 0 : inside.Max(q => q.WorkItems))];
        });
        return "<h2>Queue depths</h2>" + verdict +
            Figure(chart.ToSvg(), "Approximate messages in the task hub's queues, sampled about every second by ./bench run.") +
            (windows.Count == 0 ? string.Empty : Table(["scenario", "N", "rep", "from (s)", "to (s)", "samples", "max control", "max work items"], rows)) +
            Note("Approximate counts include messages being processed (invisible while leased). A sequential run keeps one or two messages in flight; a bold maximum is a backlog.");
    }
}

using FunctionsBench.BenchOrchestrator.Report.Svg;
using FunctionsBench.BenchOrchestrator.Thesis;
using static FunctionsBench.BenchOrchestrator.Report.Html;

namespace FunctionsBench.BenchOrchestrator.Report;

/// <summary>
/// The charts against N that mirror the thesis' figures: throughput (Figures 5.1 and 5.2) in events/s and in
/// invocations/s, mean latency (Figure 5.3) and execution time, each with the thesis' series of the same scenario
/// dashed in the same colour.
/// </summary>
internal static class ChartsSection
{
    /// <summary>The span of N above which the x axes are logarithmic.</summary>
    public const double LogAxisSpan = 4;

    public static string Build(IReadOnlyList<ScenarioSummary> summaries)
    {
        if (summaries.Count == 0)
        {
            return string.Empty;
        }

        double[] n = [.. summaries.Select(s => (double)s.Invocations), .. ThesisTables.All.Select(t => (double)t.Invocations)];
        bool logX = n.Max() > LogAxisSpan * n.Min();
        LineChart Chart(string title, string y, Func<ScenarioSummary, double?> run, Func<ThesisRow, double> thesis) => new()
        {
            Title = title,
            XLabel = "invocations (N)",
            YLabel = y,
            LogX = logX,
            LogY = true,
            Dodge = 4,
            Series = Series(summaries, run, thesis),
        };

        return "<h2>Against N, beside the thesis</h2><div class=\"charts\">" +
            Figure(Chart("Throughput (Figures 5.1, 5.2)", "events per second", s => s.MeanEventsPerSecond, t => t.EventsPerSecond).ToSvg(),
                "Formula 4.1: events per invocation × N ÷ execution time. Thesis: Table 5.3 (StateFun) and 5.4 (Durable Functions), recomputed by the formula from their times.") +
            Figure(Chart("Throughput in invocations", "invocations per second", s => ThesisComparison.InvocationsPerSecond(s), t => t.InvocationsPerSecond).ToSvg(),
                "N ÷ execution time: one invocation is one login in every scenario, whatever its events.") +
            Figure(Chart("Mean latency (Figure 5.3)", "milliseconds", s => s.MeanLatencyMs, t => t.MeanLatencyUpperBoundMs).ToSvg(),
                "This run: the mean of every invocation's latency. Thesis: execution time ÷ N, the most its sequential invocations' mean latency can be (Figure 5.3 prints no values).") +
            Figure(Chart("Execution time", "seconds", s => s.MeanExecutionSeconds, t => t.ExecutionSeconds).ToSvg(),
                "From the first invocation's start to the last one's end (thesis: as printed in Tables 5.3 and 5.4).") +
            "</div>" +
            Note("Points of different series at the same N are shifted a few pixels sideways so that none hides another; the tables hold the exact figures.");
    }

    /// <summary>This run's series per scenario, then the thesis' for the scenarios it ran, in the same colours.</summary>
    private static List<ChartSeries> Series(IReadOnlyList<ScenarioSummary> summaries, Func<ScenarioSummary, double?> run, Func<ThesisRow, double> thesis)
    {
        var series = summaries.GroupBy(s => s.Scenario)
            .Select(g => new ChartSeries(g.Key, [.. g.OrderBy(s => s.Invocations).Where(s => run(s) is not null).Select(s => ((double)s.Invocations, run(s)!.Value))], ScenarioStyles.Of(g.Key)))
            .ToList();
        series.Add(new ChartSeries("thesis: StateFun (Table 5.3)", [.. ThesisTables.StateFun.Select(t => ((double)t.Invocations, thesis(t)))], ScenarioStyles.Of(Scenarios.StateFun).AsReference()));
        series.Add(new ChartSeries("thesis: Durable Functions (Table 5.4)", [.. ThesisTables.DurableFunctions.Select(t => ((double)t.Invocations, thesis(t)))], ScenarioStyles.Of(Scenarios.DfActivity).AsReference()));
        return series;
    }
}

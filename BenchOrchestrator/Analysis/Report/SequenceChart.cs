using FunctionsBench.BenchOrchestrator.Report.Svg;
using static FunctionsBench.BenchOrchestrator.Report.Html;

namespace FunctionsBench.BenchOrchestrator.Report;

/// <summary>
/// Latency over the run: every recorded invocation in the order the run made them, on a log scale (StateFun's fraction
/// of a millisecond and Durable Functions' tens of milliseconds on one chart), with each unit's start and each
/// segment boundary (a fresh orchestration per checkpoint; a driver call per StateFun chunk) marked.
/// </summary>
internal static class SequenceChart
{
    /// <summary>Points drawn at most; beyond it each point is the mean of consecutive invocations.</summary>
    public const int MaxPoints = 4000;

    /// <summary>Units labelled at most; beyond it their boundaries are drawn unlabelled.</summary>
    private const int MaxLabelledUnits = 16;

    public static string Build(ResultsDocument document, IReadOnlyList<EventRecord> events)
    {
        if (events.Count == 0)
        {
            return "<h2>Latency over the run</h2>" + Note("No per-invocation records were available for the latency-over-the-run chart.");
        }

        var units = events.GroupBy(e => new BenchUnit(e.Scenario, e.Invocations, e.Repetition))
            .Select(g => (Unit: g.Key, Events: g.OrderBy(e => e.Sequence).ToArray()))
            .OrderBy(u => u.Events[0].Start)
            .ToList();
        int bucket = Math.Max(1, (int)Math.Ceiling(events.Count / (double)MaxPoints));
        var series = new List<ChartSeries>();
        var marks = new List<ChartMark>();
        long offset = 0;
        foreach (var (unit, unitEvents) in units)
        {
            string? label = units.Count <= MaxLabelledUnits ? I($"{Short(unit.Scenario)} N={unit.Invocations} r{unit.Repetition}") : null;
            marks.Add(new ChartMark(offset, label, Strong: true));
            if (Scenarios.IsKnown(unit.Scenario))
            {
                marks.AddRange(BenchPlan.Segments(document.Settings, Scenarios.Get(unit.Scenario), unit.Invocations).Skip(1)
                    .Select(segment => new ChartMark(offset + segment.First, null, Strong: false)));
            }

            long start = offset;
            series.Add(new ChartSeries(unit.Scenario, [.. unitEvents.Chunk(bucket).Select(c => ((double)(start + c[0].Sequence), c.Average(e => e.LatencyMs)))], ScenarioStyles.Of(unit.Scenario)));
            offset += unit.Invocations;
        }

        var chart = new LineChart
        {
            Title = "Latency of each invocation, in the order the run made them",
            XLabel = "invocation, counted through the run's units",
            YLabel = "latency, ms",
            LogY = true,
            YFromZero = false,
            Series = series,
            Marks = marks,
            Width = 1060,
            PlotHeight = 260,
        };
        string sampling = bucket > 1 ? I($" Each point is the mean of {bucket} consecutive invocations.") : string.Empty;
        string segments = document.Settings.Mode == BenchModes.Checkpointed
            ? I($"faint lines where a fresh orchestration starts (every {document.Settings.CheckpointEvery} invocations) or a StateFun driver call begins (every {BenchPlan.StateFunSegmentLogins:N0} logins)")
            : I($"faint lines where a StateFun driver call begins (every {BenchPlan.StateFunSegmentLogins:N0} logins); single mode keeps one orchestration per unit");
        return "<h2>Latency over the run</h2>" + Figure(chart.ToSvg(),
            $"Dashed lines: the start of each unit (scenario, N, repetition); {segments}. A line rising within a unit is the orchestration's history growing only in single mode; " +
            $"in checkpointed mode every segment starts a fresh history, so a rise there comes from elsewhere (see 'Latency drift within a unit').{sampling}");
    }

    /// <summary>A scenario's name short enough for a mark's label: df-suborchestration as df-sub.</summary>
    private static string Short(string scenario) => scenario.Replace("suborchestration", "sub", StringComparison.Ordinal);
}

using FunctionsBench.BenchOrchestrator.Report.Svg;
using static FunctionsBench.BenchOrchestrator.Report.Html;

namespace FunctionsBench.BenchOrchestrator.Report;

/// <summary>
/// Latency percentiles per (scenario, N) on one log axis: a bar from p50 to p99 with p50, p90, p99 and the maximum
/// marked, so a scenario at a fraction of a millisecond shows beside one at tens of milliseconds.
/// </summary>
internal static class LatencyRangeChart
{
    private const int Width = 1060, Left = 210, Right = 20, Top = 26, Row = 22;

    public static string Build(ResultsDocument document)
    {
        var rows = document.Results.GroupBy(r => (r.Scenario, r.Invocations))
            .Select(g => (g.Key.Scenario, g.Key.Invocations, P50: g.Average(r => r.LatencyMs.P50), P90: g.Average(r => r.LatencyMs.P90),
                P99: g.Average(r => r.LatencyMs.P99), Max: g.Average(r => r.LatencyMs.Max)))
            .Where(r => r.P50 > 0)
            .ToList();
        if (rows.Count == 0)
        {
            return string.Empty;
        }

        ChartAxis axis = ChartAxis.Log(rows.Min(r => r.P50), rows.Max(r => r.Max), decades: true);
        int plotWidth = Width - Left - Right, bottom = Top + (rows.Count * Row), height = bottom + 54;
        double X(double v) => Left + (axis.Fraction(Math.Max(v, axis.Min)) * plotWidth);
        var svg = new StringBuilder(I($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-size=\"11\" font-family=\"sans-serif\">"));
        svg.Append(I($"<text x=\"{Left}\" y=\"16\" font-size=\"13\" font-weight=\"600\">Latency percentiles (mean over repetitions)</text>"));
        foreach (double t in axis.Ticks)
        {
            svg.Append(I($"<line x1=\"{X(t):0.#}\" x2=\"{X(t):0.#}\" y1=\"{Top}\" y2=\"{bottom}\" stroke=\"#eee\"/><text x=\"{X(t):0.#}\" y=\"{bottom + 14}\" text-anchor=\"middle\">{ChartAxis.Label(t)}</text>"));
        }

        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            string color = ScenarioStyles.Of(r.Scenario).Color;
            double y = Top + (i * Row) + (Row / 2.0);
            svg.Append(I($"<text x=\"{Left - 8}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{E(r.Scenario)} N={r.Invocations}</text>"))
                .Append(I($"<rect x=\"{X(r.P50):0.#}\" y=\"{y - 5:0.#}\" width=\"{Math.Max(1, X(r.P99) - X(r.P50)):0.#}\" height=\"10\" fill=\"{color}\" fill-opacity=\"0.35\"/>"))
                .Append(I($"<line x1=\"{X(r.P99):0.#}\" x2=\"{X(r.Max):0.#}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"{color}\"/>"))
                .Append(I($"<circle cx=\"{X(r.P50):0.#}\" cy=\"{y:0.#}\" r=\"3.5\" fill=\"{color}\"/>"))
                .Append(I($"<line x1=\"{X(r.P90):0.#}\" x2=\"{X(r.P90):0.#}\" y1=\"{y - 6:0.#}\" y2=\"{y + 6:0.#}\" stroke=\"{color}\" stroke-width=\"2\"/>"))
                .Append(I($"<rect x=\"{X(r.P99) - 3:0.#}\" y=\"{y - 3:0.#}\" width=\"6\" height=\"6\" fill=\"{color}\"/>"))
                .Append(I($"<text x=\"{X(r.Max) + 4:0.#}\" y=\"{y + 4:0.#}\" fill=\"#555\">{Sig(r.Max)}</text>"));
        }

        svg.Append(I($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{bottom - Top}\" fill=\"none\" stroke=\"#888\"/>"))
            .Append(I($"<text x=\"{Left + (plotWidth / 2)}\" y=\"{bottom + 30}\" text-anchor=\"middle\">latency (ms, log scale): dot p50, tick p90, square p99, line to the maximum (its value at the end)</text>"));
        return Figure(svg.Append("</svg>").ToString(), "Per scenario and N, the spread of one invocation's latency.");
    }
}

using System.Net;

namespace FunctionsBench.BenchOrchestrator.Report.Svg;

/// <summary>
/// A line chart as inline SVG: linear or log axes with round ticks and their labels, series told apart by colour and
/// marker (reference series dashed and hollow), an optional sideways shift so points at the same x never hide each other,
/// vertical marks, and a legend below the plot that wraps within the chart's width.
/// </summary>
public sealed class LineChart
{
    private const int Left = 66, Right = 18, Top = 30, AxisBelow = 40, LegendRow = 18;

    // The width of one character of a 9 px mark label, generously (sans-serif averages about 5 px).
    private const double LabelCharWidth = 5.2;

    /// <summary>The title drawn above the plot.</summary>
    public required string Title { get; init; }

    /// <summary>The x axis' label, with its unit.</summary>
    public required string XLabel { get; init; }

    /// <summary>The y axis' label, with its unit.</summary>
    public required string YLabel { get; init; }

    /// <summary>The series.</summary>
    public required IReadOnlyList<ChartSeries> Series { get; init; }

    /// <summary>Whether x is logarithmic.</summary>
    public bool LogX { get; init; }

    /// <summary>Whether y is logarithmic.</summary>
    public bool LogY { get; init; }

    /// <summary>Whether the y axis starts at zero (linear y only).</summary>
    public bool YFromZero { get; init; } = true;

    /// <summary>Pixels each series is shifted sideways from the next (0: none).</summary>
    public double Dodge { get; init; }

    /// <summary>Vertical marks across the plot.</summary>
    public IReadOnlyList<ChartMark> Marks { get; init; } = [];

    /// <summary>The chart's width in pixels (it scales down with the page).</summary>
    public int Width { get; init; } = 520;

    /// <summary>The plot area's height in pixels.</summary>
    public int PlotHeight { get; init; } = 220;

    /// <summary>The SVG, or an empty string when no series has a point that the axes can show.</summary>
    public string ToSvg()
    {
        var points = this.Series.SelectMany(s => s.Points).Where(p => (!this.LogX || p.X > 0) && (!this.LogY || p.Y > 0) && double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (points.Count == 0)
        {
            return string.Empty;
        }

        double xMin = points.Min(p => p.X), xMax = points.Max(p => p.X);
        ChartAxis x = this.LogX ? ChartAxis.Log(xMin, xMax, decades: false) : ChartAxis.Linear(xMin, xMax == xMin ? xMin + 1 : xMax);
        ChartAxis y = this.LogY
            ? ChartAxis.Log(points.Min(p => p.Y), points.Max(p => p.Y), decades: true)
            : ChartAxis.Linear(this.YFromZero ? Math.Min(0, points.Min(p => p.Y)) : points.Min(p => p.Y), points.Max(p => p.Y));
        List<List<int>> legendRows = this.LegendRows();
        int plotWidth = this.Width - Left - Right, bottom = Top + this.PlotHeight;
        int height = bottom + AxisBelow + (legendRows.Count * LegendRow) + 6;
        double Px(double v) => Left + (x.Fraction(v) * plotWidth);
        double Py(double v) => bottom - (y.Fraction(v) * this.PlotHeight);

        var svg = new StringBuilder();
        svg.Append(I($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{this.Width}\" height=\"{height}\" viewBox=\"0 0 {this.Width} {height}\" font-size=\"11\" font-family=\"sans-serif\">"))
            .Append(I($"<text x=\"{Left}\" y=\"16\" font-size=\"13\" font-weight=\"600\">{E(this.Title)}</text>"));
        foreach (double t in x.Ticks)
        {
            svg.Append(I($"<line x1=\"{Px(t):0.#}\" x2=\"{Px(t):0.#}\" y1=\"{Top}\" y2=\"{bottom}\" stroke=\"#eee\"/><text x=\"{Px(t):0.#}\" y=\"{bottom + 14}\" text-anchor=\"middle\">{ChartAxis.Label(t)}</text>"));
        }

        foreach (double t in y.Ticks)
        {
            svg.Append(I($"<line x1=\"{Left}\" x2=\"{Left + plotWidth}\" y1=\"{Py(t):0.#}\" y2=\"{Py(t):0.#}\" stroke=\"#eee\"/><text x=\"{Left - 5}\" y=\"{Py(t) + 4:0.#}\" text-anchor=\"end\">{ChartAxis.Label(t)}</text>"));
        }

        this.AppendMarks(svg, x, Px, bottom);
        svg.Append(I($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{this.PlotHeight}\" fill=\"none\" stroke=\"#888\"/>"))
            .Append(I($"<text x=\"{Left + (plotWidth / 2)}\" y=\"{bottom + 30}\" text-anchor=\"middle\">{E(this.XLabel + (this.LogX ? " (log scale)" : string.Empty))}</text>"))
            .Append(I($"<text transform=\"translate(14,{Top + (this.PlotHeight / 2)}) rotate(-90)\" text-anchor=\"middle\">{E(this.YLabel + (this.LogY ? " (log scale)" : string.Empty))}</text>"));

        for (int i = 0; i < this.Series.Count; i++)
        {
            ChartSeries series = this.Series[i];
            double shift = this.Dodge * (i - ((this.Series.Count - 1) / 2.0));
            var drawn = series.Points.Where(p => x.Accepts(p.X) && y.Accepts(p.Y)).Select(p => (X: Px(p.X) + shift, Y: Py(p.Y))).ToList();
            string dash = series.Style.Dashed ? " stroke-dasharray=\"6,4\"" : string.Empty;
            if (drawn.Count > 1)
            {
                svg.Append(I($"<polyline fill=\"none\" stroke=\"{series.Style.Color}\" stroke-width=\"{(drawn.Count > 200 ? 1.2 : 2)}\"{dash} points=\""))
                    .AppendJoin(' ', drawn.Select(p => I($"{p.X:0.#},{p.Y:0.#}"))).Append("\"/>");
            }

            if (drawn.Count <= 60)
            {
                foreach (var p in drawn)
                {
                    svg.Append(MarkerSvg(series.Style, p.X, p.Y));
                }
            }
        }

        this.AppendLegend(svg, legendRows, bottom + AxisBelow + 8);
        return svg.Append("</svg>").ToString();
    }

    private void AppendMarks(StringBuilder svg, ChartAxis x, Func<double, double> px, int bottom)
    {
        ChartMark[] faint = [.. this.Marks.Where(m => !m.Strong && x.Accepts(m.X))];
        foreach (ChartMark mark in faint)
        {
            // Many checkpoints become ticks under the plot rather than lines through it.
            (double y1, double y2) = faint.Length > 120 ? (bottom - 5, bottom) : (Top, bottom);
            svg.Append(I($"<line x1=\"{px(mark.X):0.#}\" x2=\"{px(mark.X):0.#}\" y1=\"{y1}\" y2=\"{y2}\" stroke=\"#bbb\" stroke-width=\"0.7\"/>"));
        }

        // A label that would run into the one before it goes a row lower; with every row taken it is left out (the
        // tables name every unit).
        double[] rowEnds = [double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity];
        foreach (ChartMark mark in this.Marks.Where(m => m.Strong && x.Accepts(m.X)))
        {
            svg.Append(I($"<line x1=\"{px(mark.X):0.#}\" x2=\"{px(mark.X):0.#}\" y1=\"{Top}\" y2=\"{bottom}\" stroke=\"#555\" stroke-dasharray=\"2,3\"/>"));
            double left = px(mark.X) + 3;
            int row = mark.Label is null ? -1 : Array.FindIndex(rowEnds, end => left >= end + 4);
            if (row >= 0)
            {
                rowEnds[row] = left + (mark.Label!.Length * LabelCharWidth);
                svg.Append(I($"<text x=\"{left:0.#}\" y=\"{Top + 10 + (10 * row)}\" font-size=\"9\" fill=\"#444\">{E(mark.Label)}</text>"));
            }
        }
    }

    /// <summary>The series' indices per legend row, each row as wide as the chart allows.</summary>
    private List<List<int>> LegendRows()
    {
        var rows = new List<List<int>> { new() };
        double used = 0, available = this.Width - Left - Right;
        for (int i = 0; i < this.Series.Count; i++)
        {
            // Series that share a name (one scenario drawn in several pieces) share one legend entry.
            if (this.Series.Take(i).Any(s => s.Name == this.Series[i].Name))
            {
                continue;
            }

            double width = ItemWidth(this.Series[i].Name);
            if (used + width > available && rows[^1].Count > 0)
            {
                rows.Add([]);
                used = 0;
            }

            rows[^1].Add(i);
            used += width;
        }

        return rows;
    }

    private void AppendLegend(StringBuilder svg, List<List<int>> rows, int top)
    {
        for (int r = 0; r < rows.Count; r++)
        {
            double lx = Left;
            int ly = top + (r * LegendRow);
            foreach (int i in rows[r])
            {
                ChartSeries series = this.Series[i];
                string dash = series.Style.Dashed ? " stroke-dasharray=\"6,4\"" : string.Empty;
                svg.Append(I($"<line x1=\"{lx:0.#}\" x2=\"{lx + 24:0.#}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{series.Style.Color}\" stroke-width=\"2\"{dash}/>"))
                    .Append(MarkerSvg(series.Style, lx + 12, ly))
                    .Append(I($"<text x=\"{lx + 30:0.#}\" y=\"{ly + 4}\">{E(series.Name)}</text>"));
                lx += ItemWidth(series.Name);
            }
        }
    }

    private static double ItemWidth(string name) => 44 + (name.Length * 6.1);

    private static string MarkerSvg(SeriesStyle style, double x, double y)
    {
        string fill = style.Hollow ? "#fff" : style.Color;
        string paint = I($"fill=\"{fill}\" stroke=\"{style.Color}\" stroke-width=\"1.5\"");
        return style.Marker switch
        {
            Marker.Circle => I($"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"3.5\" {paint}/>"),
            Marker.Square => I($"<rect x=\"{x - 3.2:0.#}\" y=\"{y - 3.2:0.#}\" width=\"6.4\" height=\"6.4\" {paint}/>"),
            Marker.Triangle => I($"<path d=\"M{x:0.#},{y - 4.2:0.#}L{x + 4:0.#},{y + 3:0.#}L{x - 4:0.#},{y + 3:0.#}Z\" {paint}/>"),
            Marker.Diamond => I($"<path d=\"M{x:0.#},{y - 4.5:0.#}L{x + 4:0.#},{y:0.#}L{x:0.#},{y + 4.5:0.#}L{x - 4:0.#},{y:0.#}Z\" {paint}/>"),
            _ => string.Empty,
        };
    }

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

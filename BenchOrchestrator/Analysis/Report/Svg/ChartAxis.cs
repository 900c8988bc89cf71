namespace FunctionsBench.BenchOrchestrator.Report.Svg;

/// <summary>A chart axis: its range, whether it is logarithmic, and its ticks.</summary>
public sealed record ChartAxis(double Min, double Max, bool IsLog, IReadOnlyList<double> Ticks)
{
    /// <summary>A linear axis over round ticks that cover <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static ChartAxis Linear(double min, double max)
    {
        IReadOnlyList<double> ticks = NiceTicks(min, max);
        return new ChartAxis(ticks[0], ticks[^1], false, ticks);
    }

    /// <summary>
    /// A log axis: whole decades around the data (<paramref name="decades"/>), else 20% beyond it; ticks at powers of
    /// ten, with 2 and 5 x 10^k added where fewer than three powers fall in the range.
    /// </summary>
    public static ChartAxis Log(double min, double max, bool decades)
    {
        double low = decades ? Math.Pow(10, Math.Floor(Math.Log10(min))) : min / 1.25;
        double high = decades ? Math.Pow(10, Math.Ceiling(Math.Log10(max))) : max * 1.25;
        if (high <= low)
        {
            high = low * 10;
        }

        return new ChartAxis(low, high, true, LogTicks(low, high));
    }

    /// <summary>Where <paramref name="value"/> falls between the axis' ends, 0 to 1.</summary>
    public double Fraction(double value) => this.IsLog
        ? (Math.Log10(value) - Math.Log10(this.Min)) / (Math.Log10(this.Max) - Math.Log10(this.Min))
        : (value - this.Min) / (this.Max - this.Min);

    /// <summary>Whether <paramref name="value"/> can be drawn on this axis.</summary>
    public bool Accepts(double value) => double.IsFinite(value) && (!this.IsLog || value > 0);

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

    /// <summary>A tick's label: thousands separated, at most two decimals (three below 1).</summary>
    public static string Label(double value)
        => value.ToString(Math.Abs(value) >= 1 || value == 0 ? "#,0.##" : "0.###", System.Globalization.CultureInfo.InvariantCulture);
}

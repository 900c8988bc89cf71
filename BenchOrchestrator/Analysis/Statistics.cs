namespace FunctionsBench.BenchOrchestrator;

/// <summary>Latency summary of one result, in milliseconds.</summary>
public sealed record LatencySummary(double Mean, double P50, double P90, double P99, double Max);

/// <summary>The statistics the results document reports.</summary>
public static class Statistics
{
    /// <summary>
    /// The <paramref name="p"/>-th percentile (0-100) of <paramref name="sorted"/> by linear interpolation between
    /// closest ranks (rank = p/100 x (n-1), the method spreadsheets and numpy use by default).
    /// </summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 100);
        if (sorted.Count == 0)
        {
            throw new ArgumentException("A percentile of no values is undefined.", nameof(sorted));
        }

        double rank = p / 100 * (sorted.Count - 1);
        int lower = (int)Math.Floor(rank);
        int upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((rank - lower) * (sorted[upper] - sorted[lower]));
    }

    /// <summary>Mean, p50, p90, p99 and max of <paramref name="values"/>; all zero when there are none.</summary>
    public static LatencySummary Summarize(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0);
        }

        return new LatencySummary(sorted.Average(), Percentile(sorted, 50), Percentile(sorted, 90), Percentile(sorted, 99), sorted[^1]);
    }

    /// <summary>Sample standard deviation (n - 1 in the denominator); zero for fewer than two values.</summary>
    public static double SampleStandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>Coefficient of variation (sample standard deviation / mean); null for fewer than two values.</summary>
    public static double? CoefficientOfVariation(IReadOnlyList<double> values)
        => values.Count < 2 || values.Average() == 0 ? null : SampleStandardDeviation(values) / values.Average();

    /// <summary>
    /// Half-width of the 95% confidence interval of the mean (Student's t with n - 1 degrees of freedom x s / sqrt(n));
    /// null for fewer than two values.
    /// </summary>
    public static double? ConfidenceInterval95(IReadOnlyList<double> values)
        => values.Count < 2 ? null : StudentT975(values.Count - 1) * SampleStandardDeviation(values) / Math.Sqrt(values.Count);

    /// <summary>Two-sided 95% critical value of Student's t distribution (the 0.975 quantile).</summary>
    public static double StudentT975(int degreesOfFreedom) => degreesOfFreedom switch
    {
        < 1 => throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom)),
        <= 30 => TTable[degreesOfFreedom - 1],
        <= 40 => 2.021,
        <= 60 => 2.000,
        <= 120 => 1.980,
        _ => 1.960,
    };

    private static readonly double[] TTable =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
}

using MathNet.Numerics.Distributions;

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

    /// <summary>Sample standard deviation (n - 1 in the denominator, MathNet's); zero for fewer than two values.</summary>
    public static double SampleStandardDeviation(IReadOnlyList<double> values)
        => values.Count < 2 ? 0 : MathNet.Numerics.Statistics.Statistics.StandardDeviation(values);

    /// <summary>Coefficient of variation (sample standard deviation / mean); null for fewer than two values.</summary>
    public static double? CoefficientOfVariation(IReadOnlyList<double> values)
        => values.Count < 2 || values.Average() == 0 ? null : SampleStandardDeviation(values) / values.Average();

    /// <summary>
    /// Half-width of the 95% confidence interval of the mean (Student's t with n - 1 degrees of freedom x s / sqrt(n));
    /// null for fewer than two values.
    /// </summary>
    public static double? ConfidenceInterval95(IReadOnlyList<double> values)
        => values.Count < 2 ? null : StudentT975(values.Count - 1) * SampleStandardDeviation(values) / Math.Sqrt(values.Count);

    /// <summary>Two-sided 95% critical value of Student's t distribution (its 0.975 quantile, MathNet's).</summary>
    public static double StudentT975(double degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        return StudentT.InvCDF(0, 1, degreesOfFreedom, 0.975);
    }
}

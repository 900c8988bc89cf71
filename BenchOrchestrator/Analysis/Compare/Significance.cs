using MathNet.Numerics.Distributions;

namespace FunctionsBench.BenchOrchestrator.Compare;

/// <summary>A ratio of two means with its 95% confidence interval and the p-value of a test of "no difference".</summary>
/// <param name="Ratio">mean(b) / mean(a).</param>
/// <param name="Low">Lower end of the 95% confidence interval of <paramref name="Ratio"/>.</param>
/// <param name="High">Upper end.</param>
/// <param name="PValue">Two-sided p-value of <paramref name="Test"/>.</param>
/// <param name="Test">The test the p-value comes from.</param>
public sealed record RatioEstimate(double Ratio, double Low, double High, double PValue, string Test)
{
    /// <summary>Whether the difference is significant at the 5% level.</summary>
    public bool Significant => this.PValue < 0.05;
}

/// <summary>The statistics of <c>./bench compare</c>.</summary>
public static class Significance
{
    /// <summary>The test named by <see cref="RatioEstimate.Test"/> for repetitions.</summary>
    public const string WelchTest = "Welch's t";

    /// <summary>The test named by <see cref="RatioEstimate.Test"/> for per-invocation latencies.</summary>
    public const string MannWhitneyTest = "Mann-Whitney U";

    /// <summary>
    /// The 95% confidence interval of mean(b) / mean(a) by the delta method on the log scale,
    /// ln(r) ± t(0.975, ν) x sqrt(s²a / (na x mean(a)²) + s²b / (nb x mean(b)²)), with ν by Welch-Satterthwaite; null
    /// when either side has fewer than two values or a mean that is not positive.
    /// </summary>
    public static (double Ratio, double Low, double High)? RatioInterval(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count < 2 || b.Count < 2 || !(a.Average() > 0) || !(b.Average() > 0))
        {
            return null;
        }

        double ma = a.Average(), mb = b.Average();
        double va = Variance(a) / (a.Count * ma * ma), vb = Variance(b) / (b.Count * mb * mb);
        double ratio = mb / ma;
        if (va + vb == 0)
        {
            return (ratio, ratio, ratio);
        }

        double df = WelchDegreesOfFreedom(va, a.Count, vb, b.Count);
        double half = StudentT.InvCDF(0, 1, df, 0.975) * Math.Sqrt(va + vb);
        return (ratio, ratio * Math.Exp(-half), ratio * Math.Exp(half));
    }

    /// <summary>Two-sided p-value of Welch's t-test of equal means; null when either side has fewer than two values.</summary>
    public static double? WelchP(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count < 2 || b.Count < 2)
        {
            return null;
        }

        double va = Variance(a) / a.Count, vb = Variance(b) / b.Count;
        double difference = b.Average() - a.Average();
        if (va + vb == 0)
        {
            return difference == 0 ? 1 : 0;
        }

        double t = difference / Math.Sqrt(va + vb);
        return 2 * (1 - StudentT.CDF(0, 1, WelchDegreesOfFreedom(va, a.Count, vb, b.Count), Math.Abs(t)));
    }

    /// <summary>
    /// The Mann-Whitney U test of <paramref name="a"/> against <paramref name="b"/>: U counts the pairs where a's value is
    /// above b's (ties count a half), and the two-sided p-value comes from the normal approximation with the tie
    /// correction and a continuity correction (good from about 20 values a side; latencies have hundreds).
    /// </summary>
    public static (double U, double P) MannWhitney(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0)
        {
            throw new ArgumentException("Both samples need at least one value.");
        }

        // Ranks of the pooled values, ties sharing their mean rank.
        var pooled = a.Select(v => (Value: v, FromA: true)).Concat(b.Select(v => (Value: v, FromA: false))).OrderBy(p => p.Value).ToArray();
        double rankSumA = 0, tieTerm = 0;
        for (int i = 0; i < pooled.Length;)
        {
            int j = i;
            while (j + 1 < pooled.Length && pooled[j + 1].Value == pooled[i].Value)
            {
                j++;
            }

            double rank = ((i + j) / 2.0) + 1;
            int ties = j - i + 1;
            tieTerm += ((double)ties * ties * ties) - ties;
            for (int k = i; k <= j; k++)
            {
                rankSumA += pooled[k].FromA ? rank : 0;
            }

            i = j + 1;
        }

        double na = a.Count, nb = b.Count, n = na + nb;
        double u = rankSumA - (na * (na + 1) / 2);
        double variance = na * nb / 12 * ((n + 1) - (tieTerm / (n * (n - 1))));
        if (variance <= 0)
        {
            return (u, 1);
        }

        double z = Math.Max(0, Math.Abs(u - (na * nb / 2)) - 0.5) / Math.Sqrt(variance);
        return (u, 2 * (1 - Normal.CDF(0, 1, z)));
    }

    /// <summary>The ratio of means of <paramref name="b"/> to <paramref name="a"/> over repetitions, with Welch's test.</summary>
    public static RatioEstimate? OverRepetitions(IReadOnlyList<double> a, IReadOnlyList<double> b)
        => RatioInterval(a, b) is { } ci && WelchP(a, b) is double p ? new RatioEstimate(ci.Ratio, ci.Low, ci.High, p, WelchTest) : null;

    /// <summary>The ratio of mean latencies of <paramref name="b"/> to <paramref name="a"/>, with the Mann-Whitney test.</summary>
    public static RatioEstimate? OverLatencies(IReadOnlyList<double> a, IReadOnlyList<double> b)
        => RatioInterval(a, b) is { } ci ? new RatioEstimate(ci.Ratio, ci.Low, ci.High, MannWhitney(a, b).P, MannWhitneyTest) : null;

    /// <summary>Sample variance (n - 1 in the denominator).</summary>
    private static double Variance(IReadOnlyList<double> values) => MathNet.Numerics.Statistics.Statistics.Variance(values);

    /// <summary>Welch-Satterthwaite degrees of freedom of two variances of means <paramref name="va"/> and <paramref name="vb"/>.</summary>
    private static double WelchDegreesOfFreedom(double va, int na, double vb, int nb)
        => (va + vb) * (va + vb) / ((va * va / (na - 1)) + (vb * vb / (nb - 1)));
}

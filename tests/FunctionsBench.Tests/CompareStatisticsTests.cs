using FunctionsBench.BenchOrchestrator.Compare;

namespace FunctionsBench.Tests;

/// <summary>The statistics of ./bench compare against values worked out by hand.</summary>
public class CompareStatisticsTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void WelchP_MeansOneApartWithUnitStandardError_IsTheTDistributionsTwoSidedTail()
    {
        // Means 3 and 4, variances 2.5 each, n = 5: t = 1, df = (0.5 + 0.5)² / (0.5²/4 + 0.5²/4) = 8; P(|T8| > 1) = 0.34659.
        double? p = Significance.WelchP([1, 2, 3, 4, 5], [2, 3, 4, 5, 6]);

        Assert.Equal(0.34659, p!.Value, 4);
    }

    [Fact]
    public void WelchP_OneRepetition_IsNull()
    {
        Assert.Null(Significance.WelchP([1.0], [2, 3]));
        Assert.Null(Significance.OverRepetitions([1.0], [2, 3]));
    }

    [Fact]
    public void RatioInterval_DoubledMeansWithEqualRelativeSpread_IsTheLogScaleDeltaInterval()
    {
        // Means 12 and 24; s²/(n m²) = 4/(3·144) = 16/(3·576) = 0.0092593 each; se(ln r) = 0.136083; df = 4; t(0.975, 4) = 2.776445.
        (double ratio, double low, double high) = Significance.RatioInterval([10, 12, 14], [20, 24, 28])!.Value;

        Assert.Equal(2, ratio, 9);
        Assert.Equal(2 * Math.Exp(-2.776445 * 0.136083), low, 4);
        Assert.Equal(2 * Math.Exp(2.776445 * 0.136083), high, 4);
    }

    [Fact]
    public void MannWhitney_SeparatedSamples_UIsZeroAndPFromTheNormalApproximation()
    {
        // U = 0 of 9 pairs; mean 4.5, sd sqrt(3·3·7/12) = 2.29129; z = (4.5 - 0.5) / 2.29129 = 1.74574; p = 0.08086.
        (double u, double p) = Significance.MannWhitney([1, 2, 3], [4, 5, 6]);

        Assert.Equal(0, u);
        Assert.Equal(0.08086, p, 4);
    }

    [Fact]
    public void MannWhitney_Ties_ShareRanksAndCorrectTheVariance()
    {
        // Pooled 1,2,2,3 | 2,3,3,4: ranks 1, 3, 3, 6 for a (ties of 2 at 2,3,4 share 3; of 3 at 5,6,7 share 6), so U = 13 - 10 = 3.
        // Tie term (27 - 3) + (27 - 3) = 48; variance 16/12 x (9 - 48/56) = 10.857; z = (8 - 3 - 0.5) / 3.2950 = 1.3657; p = 0.1720.
        (double u, double p) = Significance.MannWhitney([1, 2, 2, 3], [2, 3, 3, 4]);

        Assert.Equal(3, u);
        Assert.Equal(0.1720, p, 3);
    }

    [Fact]
    public void MannWhitney_AllEqual_IsNoEvidenceOfADifference()
    {
        Assert.Equal(1, Significance.MannWhitney([5, 5, 5], [5, 5]).P);
    }

    [Fact]
    public void Compare_TwoRunsSharingOneUnit_RatiosOfThroughputAndLatencyAgainstTheBaseline()
    {
        ComparedRun a = Run("a", 10, [10, 11, 9], 5.0);
        ComparedRun b = Run("b", 10, [20, 22, 18], 2.5);

        ComparisonRow row = Assert.Single(RunComparison.Compare([a, b]));

        Assert.Equal((Scenarios.DfActivity, 10, "a", "b"), (row.Scenario, row.Invocations, row.Baseline, row.Other));
        Assert.Equal(2, row.Throughput!.Ratio, 9);
        Assert.True(row.Throughput.Significant, $"p = {row.Throughput.PValue}");
        Assert.Equal(0.5, row.Latency!.Ratio, 9);
        Assert.Equal(Significance.MannWhitneyTest, row.Latency.Test);
        Assert.Equal((30, 30), row.LatencyCounts);
        Assert.StartsWith("throughput higher", row.Verdict());
    }

    [Fact]
    public void Compare_UnitOnlyInTheOtherRun_IsListedAsUnmatched()
    {
        ComparedRun a = Run("a", 10, [10], 5.0);
        ComparedRun b = Run("b", 20, [10], 5.0);

        Assert.Empty(RunComparison.Compare([a, b]));
        Assert.Equal(["b: df-activity N=20"], RunComparison.Unmatched([a, b]));
    }

    /// <summary>A run of df-activity at N with the given events/s per repetition; each repetition's N latencies vary ±10% around <paramref name="latencyMs"/>.</summary>
    private static ComparedRun Run(string label, int n, double[] eventsPerSecond, double latencyMs)
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [n], eventsPerSecond.Length, BenchModes.Checkpointed, 100, 1, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results = [.. eventsPerSecond.Select((rate, i) => ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, n, i + 1), T0, T0.AddSeconds(4.0 * n / rate), [latencyMs]))];
        EventRecord[] events = [.. results.SelectMany(r => Enumerable.Range(0, n).Select(s => new EventRecord(Scenarios.DfActivity, n, r.Repetition, s, T0, T0, latencyMs * (0.9 + (0.02 * (s % 10))))))];
        return new ComparedRun(label, new ResultsDocument(label + "-id", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results)), events);
    }
}

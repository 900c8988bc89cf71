namespace FunctionsBench.Tests;

public class StatisticsTests
{
    [Fact]
    public void Percentile_InterpolatesBetweenClosestRanks()
    {
        double[] sorted = [10, 20, 30, 40];

        // rank = p/100 * (n-1): p50 -> 1.5 -> 25; p90 -> 2.7 -> 37; p0 -> 10; p100 -> 40.
        Assert.Equal(25, Statistics.Percentile(sorted, 50), 9);
        Assert.Equal(37, Statistics.Percentile(sorted, 90), 9);
        Assert.Equal(10, Statistics.Percentile(sorted, 0), 9);
        Assert.Equal(40, Statistics.Percentile(sorted, 100), 9);
    }

    [Fact]
    public void Summarize_OneToHundred_MatchesHandComputedValues()
    {
        LatencySummary summary = Statistics.Summarize(Enumerable.Range(1, 100).Select(i => (double)i).Reverse());

        Assert.Equal(50.5, summary.Mean, 9);
        Assert.Equal(50.5, summary.P50, 9);     // rank 49.5 between 50 and 51
        Assert.Equal(90.1, summary.P90, 9);     // rank 89.1 between 90 and 91
        Assert.Equal(99.01, summary.P99, 9);    // rank 98.01 between 99 and 100
        Assert.Equal(100, summary.Max);
    }

    [Fact]
    public void Summarize_NoValues_IsAllZero()
        => Assert.Equal(new LatencySummary(0, 0, 0, 0, 0), Statistics.Summarize([]));

    [Fact]
    public void Percentile_NoValues_Throws()
        => Assert.Throws<ArgumentException>(() => Statistics.Percentile([], 50));

    [Fact]
    public void CoefficientOfVariation_KnownSample_MatchesHandComputedValue()
    {
        // mean 5, squared deviations 9+1+1+9 = 20, s = sqrt(20/3) = 2.5820, cv = 0.5164.
        double[] values = [2, 4, 6, 8];

        Assert.Equal(Math.Sqrt(20.0 / 3), Statistics.SampleStandardDeviation(values), 9);
        Assert.Equal(Math.Sqrt(20.0 / 3) / 5, Statistics.CoefficientOfVariation(values)!.Value, 9);
    }

    [Fact]
    public void ConfidenceInterval95_KnownSample_UsesStudentT()
    {
        // n = 4, t(0.975, 3) = 3.18245, s = 2.5820, half-width = 3.18245 * 2.5820 / 2 = 4.1085.
        double[] values = [2, 4, 6, 8];

        Assert.Equal(3.18245 * Math.Sqrt(20.0 / 3) / 2, Statistics.ConfidenceInterval95(values)!.Value, 4);
        Assert.Equal(4.1085, Statistics.ConfidenceInterval95(values)!.Value, 4);
    }

    [Fact]
    public void SpreadStatistics_OneValue_AreNull()
    {
        Assert.Null(Statistics.CoefficientOfVariation([3]));
        Assert.Null(Statistics.ConfidenceInterval95([3]));
    }

    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(4, 2.776)]
    [InlineData(30, 2.042)]
    [InlineData(35, 2.030)]
    [InlineData(100, 1.984)]
    [InlineData(1000, 1.962)]
    public void StudentT975_PublishedTableValues_ToThreeDecimals(int degreesOfFreedom, double expected)
        => Assert.Equal(expected, Statistics.StudentT975(degreesOfFreedom), 3);

    [Fact]
    public void StudentT975_BetweenTableRows_IsTheExactQuantileNotAStep()
    {
        // A stepped table gave 2.021 for every df from 31 to 40; the quantile falls with every degree of freedom.
        Assert.True(Statistics.StudentT975(31) > Statistics.StudentT975(39));
        Assert.True(Statistics.StudentT975(1_000_000) > 1.959964 && Statistics.StudentT975(1_000_000) < 1.960);
    }

    [Fact]
    public void ScenarioResult_From_AppliesFormula41()
    {
        var unit = new BenchUnit(Scenarios.DfActivity, 1000, 1);
        DateTime start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        ScenarioResult result = ScenarioResult.From(unit, start, start.AddSeconds(20), [1.0, 2.0, 3.0]);

        Assert.Equal(4, result.EventsPerInvocation);
        Assert.Equal(4000, result.Events);
        Assert.Equal(20, result.ExecutionSeconds, 9);
        Assert.Equal(200, result.EventsPerSecond, 9);      // 4 x 1000 / 20
        Assert.Equal(50, result.InvocationsPerSecond, 9);  // 1000 / 20
        Assert.Equal(3, result.Recorded);
        Assert.Equal(2, result.LatencyMs.Mean, 9);
    }

    [Fact]
    public void ScenarioSummary_Of_GroupsRepetitionsPerScenarioAndN()
    {
        DateTime t0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var results = new[]
        {
            ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 100, 1), t0, t0.AddSeconds(1), [1.0]),   // 100 ev/s
            ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 100, 2), t0, t0.AddSeconds(2), [1.0]),   // 50 ev/s
            ScenarioResult.From(new BenchUnit(Scenarios.DfEntity, 100, 1), t0, t0.AddSeconds(4), [1.0]),   // 100 ev/s
        };

        IReadOnlyList<ScenarioSummary> summary = ScenarioSummary.Of(results);

        Assert.Equal(2, summary.Count);
        ScenarioSummary stateFun = summary[0];
        Assert.Equal((Scenarios.StateFun, 100, 2), (stateFun.Scenario, stateFun.Invocations, stateFun.Repetitions));
        Assert.Equal(1.5, stateFun.MeanExecutionSeconds, 9);
        Assert.Equal(75, stateFun.MeanEventsPerSecond, 9);
        Assert.Equal(Math.Sqrt(1250) / 75, stateFun.Cv!.Value, 9);             // s of {100, 50} = 35.355
        Assert.Equal(12.7062047361747 * Math.Sqrt(1250) / Math.Sqrt(2), stateFun.Ci95!.Value, 9); // t(0.975, 1) = 12.7062047361747
        Assert.Null(summary[1].Cv);
    }
}

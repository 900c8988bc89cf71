using FunctionsBench.BenchOrchestrator.Thesis;

namespace FunctionsBench.Tests;

/// <summary>Progress by time and the thesis run's time estimate.</summary>
public class ProgressAndEstimateTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Observe_FastStateFunBesideSlowDurableUnits_CountsTimeNotInvocations()
    {
        // Two units of 1000: df-activity at 0.05 s each (50 s), statefun at 0.0005 s (0.5 s); no warm-up.
        var settings = new BenchSettings([Scenarios.DfActivity, Scenarios.StateFun], [1000], 1, BenchModes.Checkpointed, 100, 1, "http://x/", "1", "Joe");
        var estimate = new ProgressEstimate(settings, new Dictionary<string, double> { [Scenarios.DfActivity] = 0.05, [Scenarios.StateFun] = 0.0005 });

        // Floors done at 14 s, df-activity half done at 14 + 3 + 25 s.
        estimate.Observe(14, "units", Scenarios.DfActivity, 1, 0);
        estimate.Observe(42, "units", Scenarios.DfActivity, 1, 500);

        // Left: 500 x 0.05 = 25 s of df-activity, then statefun's 3 + 0.5 s: 42 / (42 + 28.5) = 0.596, where invocations say 25%.
        Assert.Equal(42 / (42 + 28.5), estimate.Fraction, 3);
        Assert.Equal(28.5, estimate.Remaining.TotalSeconds, 1);
    }

    [Fact]
    public void Observe_AfterAUnit_LearnsItsScenariosRateForTheNextUnits()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [100, 200], 1, BenchModes.Single, 100, 1, "http://x/", "1", "Joe");
        var estimate = new ProgressEstimate(settings, new Dictionary<string, double> { [Scenarios.DfActivity] = 0.05 });

        estimate.Observe(14, "units", Scenarios.DfActivity, 1, 0);
        estimate.Observe(14 + 3 + 20, "units", Scenarios.DfActivity, 2, 0);

        // 100 invocations took 20 s beyond the overhead: 0.2 s each, so N = 200 is expected to take 3 + 40 s.
        Assert.Equal(0.2, estimate.SecondsPerInvocation(Scenarios.DfActivity), 9);
        Assert.Equal(43, estimate.Remaining.TotalSeconds, 6);
    }

    [Fact]
    public void Observe_WarmUpShorterThanTheOverhead_KeepsThePriorRate()
    {
        // A warm-up of 10 invocations done in 2 s (under the 3 s overhead) once taught "0 s per invocation": the next
        // unit of 1000 then showed "100% done, 0:00 left" for its whole length.
        var settings = new BenchSettings([Scenarios.DfSubOrchestration], [1000], 1, BenchModes.Checkpointed, 100, 1, "http://x/", "1", "Joe", Warmup: 10);
        var estimate = new ProgressEstimate(settings, new Dictionary<string, double> { [Scenarios.DfSubOrchestration] = 0.15 });

        estimate.Observe(14, "warm-up", Scenarios.DfSubOrchestration, 0, 0);
        estimate.Observe(16, "units", Scenarios.DfSubOrchestration, 1, 0);

        Assert.Equal(0.15, estimate.SecondsPerInvocation(Scenarios.DfSubOrchestration), 9);
        Assert.Equal(3 + 150, estimate.Remaining.TotalSeconds, 6);
        Assert.True(estimate.Fraction < 0.2);
    }

    [Fact]
    public void Complete_IsAHundredPercent()
    {
        var settings = new BenchSettings([Scenarios.StateFun], [10], 1, BenchModes.Checkpointed, 100, 1, "http://x/", "1", "Joe");
        var estimate = new ProgressEstimate(settings);

        estimate.Observe(5, "units", Scenarios.StateFun, 1, 5);
        Assert.True(estimate.Fraction < 1);
        estimate.Observe(6, "done", null, 1, 0);

        Assert.Equal(1, estimate.Fraction);
        Assert.Equal(TimeSpan.Zero, estimate.Remaining);
    }

    [Fact]
    public void FitAll_TwoNInSingleMode_FitsTimePerInvocationAsALineInN()
    {
        // 100 invocations in 10 s (0.1 s each), 300 in 60 s (0.2 s each): T/N = 0.05 + 0.0005 N.
        ScenarioResult[] calibration =
        [
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 100, 1), T0, T0.AddSeconds(10), [1.0]),
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 300, 1), T0, T0.AddSeconds(60), [1.0]),
            ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 2000, 1), T0, T0.AddSeconds(1), [1.0]),
        ];

        IReadOnlyDictionary<string, RunTimeEstimate.Fit> fits = RunTimeEstimate.FitAll(calibration);

        Assert.Equal(0.05, fits[Scenarios.DfActivity].Linear, 9);
        Assert.Equal(0.0005, fits[Scenarios.DfActivity].Quadratic, 9);
        Assert.Equal(0.0005 * 4000 * 4000 + (0.05 * 4000), fits[Scenarios.DfActivity].Seconds(4000), 6);
        Assert.Equal(new RunTimeEstimate.Fit(0.0005, 0), fits[Scenarios.StateFun]);
    }

    [Fact]
    public void Seconds_ThesisPlan_SumsEveryUnitWithItsOverheadAndTheFloors()
    {
        var settings = new BenchSettings(
            [Scenarios.DfActivity, Scenarios.StateFun], [1000, 2000, 3000, 4000, 8000, 16000], 5, BenchModes.Single, 100, 1, "http://x/", "1", "Joe", Warmup: 0,
            InvocationsByScenario: ThesisTables.InvocationsByScenario);
        var fits = new Dictionary<string, RunTimeEstimate.Fit> { [Scenarios.DfActivity] = new(0.1, 0), [Scenarios.StateFun] = new(0.001, 0) };

        double? seconds = RunTimeEstimate.Seconds(settings, fits);

        // 40 units (3 s each), df-activity 5 x 10000 x 0.1 s, statefun 5 x 29000 x 0.001 s, 14 s of floors.
        Assert.Equal(14 + (40 * 3) + 5000 + 145, seconds!.Value, 6);
        Assert.Equal("1 h 28 min", RunTimeEstimate.Describe(seconds.Value));
    }

    [Fact]
    public void Observe_SingleModeHistoryGrowingWithN_FitsTheFinishedUnitsAndScalesTheRunningOne()
    {
        // The truth: N invocations take 0.01 N + 0.001 N^2 s (the i-th replays a history of i), plus 3 s per unit.
        static double Truth(int n) => (0.01 * n) + (0.001 * n * n);
        var settings = new BenchSettings([Scenarios.DfActivity], [100, 200, 300], 1, BenchModes.Single, 100, 1, "http://x/", "1", "Joe", Warmup: 0);
        var estimate = new ProgressEstimate(settings);

        double t = 14;
        estimate.Observe(t, "units", Scenarios.DfActivity, 1, 0);
        t += 3 + Truth(100);
        estimate.Observe(t, "units", Scenarios.DfActivity, 2, 0);
        t += 3 + Truth(200);
        estimate.Observe(t, "units", Scenarios.DfActivity, 3, 0);

        // Two N give the line T/N = 0.01 + 0.001 N: the last unit is expected to take 3 + 93 s.
        Assert.Equal(3 + Truth(300), estimate.Remaining.TotalSeconds, 6);

        // Half its invocations done took a quarter of its time and more: a rate per invocation would say 24 s are left.
        estimate.Observe(t + 3 + Truth(150), "units", Scenarios.DfActivity, 3, 150);
        Assert.Equal(Truth(300) - Truth(150), estimate.Remaining.TotalSeconds, 6);
    }

    [Fact]
    public void Observe_CalibratedFit_IsScaledByTheFinishedUnits()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [100, 300], 1, BenchModes.Single, 100, 1, "http://x/", "1", "Joe", Warmup: 0);
        var estimate = new ProgressEstimate(settings, fits: new Dictionary<string, RunTimeEstimate.Fit> { [Scenarios.DfActivity] = new(0.01, 0.001) });

        estimate.Observe(14, "units", Scenarios.DfActivity, 1, 0);
        Assert.Equal(3 + 11 + 3 + 93, estimate.Remaining.TotalSeconds, 6);

        // The first unit took twice the calibration's 11 s: this machine is twice as slow now, for every N.
        estimate.Observe(14 + 3 + 22, "units", Scenarios.DfActivity, 2, 0);
        Assert.Equal(3 + 186, estimate.Remaining.TotalSeconds, 6);
    }

    [Fact]
    public void Observe_QuickWarmUp_LeavesTheCalibratedFitAsItIs()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [300], 1, BenchModes.Single, 100, 1, "http://x/", "1", "Joe", Warmup: 100);
        var estimate = new ProgressEstimate(settings, fits: new Dictionary<string, RunTimeEstimate.Fit> { [Scenarios.DfActivity] = new(0.01, 0.001) });

        // The warm-up's 100 invocations took 1 s beyond the overhead, a tenth of what the fit says for N = 100.
        estimate.Observe(14, "warm-up", Scenarios.DfActivity, 0, 0);
        estimate.Observe(14 + 3 + 1, "units", Scenarios.DfActivity, 1, 0);

        Assert.Equal(3 + 93, estimate.Remaining.TotalSeconds, 6);
    }

    [Fact]
    public void FitFromEvents_LatencyGrowingWithTheSequence_GivesTheQuadraticTermFromOneSmallUnit()
    {
        // 300 invocations, the i-th 10 + 0.5 i ms, and 2 ms between one's end and the next one's start.
        EventRecord[] events = [.. Enumerable.Range(0, 300).Select(i => new EventRecord(Scenarios.DfActivity, 300, 1, i, T0, T0, 10 + (0.5 * i)))];
        double seconds = (events.Sum(e => e.LatencyMs) / 1000) + (300 * 0.002);
        ScenarioResult[] calibration = [ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 300, 1), T0, T0.AddSeconds(seconds), [1.0])];

        RunTimeEstimate.Fit fit = RunTimeEstimate.FitFromEvents(calibration, events)[Scenarios.DfActivity];

        // N = 4000: 4000 x (10 ms + 2 ms) and 0.5 ms x 4000^2 / 2; the whole-unit fit of one N would say 4000 x 0.087 s.
        Assert.Equal(0.012, fit.Linear, 9);
        Assert.Equal(0.00025, fit.Quadratic, 9);
        Assert.Equal(48 + 4000, fit.Seconds(4000), 6);
        Assert.Equal(seconds / 300, RunTimeEstimate.FitAll(calibration)[Scenarios.DfActivity].Linear, 9);
    }
}

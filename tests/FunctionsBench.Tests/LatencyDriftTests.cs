namespace FunctionsBench.Tests;

/// <summary>The drift flag: a unit whose last tenth's median latency exceeds its first tenth's by more than the threshold.</summary>
public class LatencyDriftTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Of_LatencyRisingThroughTheUnit_IsFlaggedWithItsTenths()
    {
        // 100 invocations whose latency rises from 10 to 29.8 ms: first tenth's median 10.9, last tenth's 28.9.
        EventRecord[] events = Unit(Scenarios.DfSubOrchestration, 100, 1, T0, i => 10 + (0.2 * i));

        UnitDrift drift = Assert.Single(LatencyDrift.Of(events));

        Assert.Equal(10.9, drift.FirstTenthMedianMs, 6);
        Assert.Equal(28.9, drift.LastTenthMedianMs, 6);
        Assert.True(drift.Flagged);
        Assert.Contains("df-suborchestration N=100 rep 1: median latency 10.9 ms in the first tenth, 28.9 ms in the last (2.65x)", drift.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Of_RiseWithinTheThreshold_IsNotFlagged()
    {
        // 20% higher at the end: below the 25% threshold.
        EventRecord[] events = Unit(Scenarios.DfActivity, 100, 1, T0, i => i < 90 ? 10 : 12);

        UnitDrift drift = Assert.Single(LatencyDrift.Of(events));

        Assert.Equal(1.2, drift.Ratio, 6);
        Assert.False(drift.Flagged);
    }

    [Fact]
    public void Of_JustAboveTheThreshold_IsFlagged()
    {
        EventRecord[] events = Unit(Scenarios.DfActivity, 100, 1, T0, i => i < 90 ? 10 : 12.6);

        Assert.True(Assert.Single(LatencyDrift.Of(events)).Flagged);
    }

    [Fact]
    public void Of_UnitTooShortOrWarmUp_IsNotJudged()
    {
        EventRecord[] events = [.. Unit(Scenarios.DfActivity, 49, 1, T0, i => i), .. Unit(Scenarios.DfActivity, 100, 0, T0.AddMinutes(1), i => i)];

        Assert.Empty(LatencyDrift.Of(events));
    }

    [Fact]
    public void Of_SecondUnit_CountsTheHistoryRowsEarlierUnitsWrote()
    {
        EventRecord[] events = [.. Unit(Scenarios.DfSubOrchestration, 100, 1, T0, _ => 5), .. Unit(Scenarios.StateFun, 100, 1, T0.AddMinutes(1), _ => 0.1), .. Unit(Scenarios.DfActivity, 100, 1, T0.AddMinutes(2), _ => 5)];

        IReadOnlyList<UnitDrift> drifts = LatencyDrift.Of(events);

        Assert.Equal([0L, 1200L, 1200L], drifts.Select(d => d.HistoryRowsBefore));
    }

    [Fact]
    public void Of_WithRequestLog_ShowsTheOperationsThatGrew()
    {
        // Each invocation lasts 1 ms from i s; the first tenth's has one table query, the last tenth's three.
        EventRecord[] events = Unit(Scenarios.DfSubOrchestration, 100, 1, T0, i => i < 10 ? 10 : 20);
        var requests = new List<(DateTime At, string Operation)>();
        foreach (EventRecord e in events)
        {
            int queries = e.Sequence < 10 ? 1 : e.Sequence >= 90 ? 3 : 2;
            requests.AddRange(Enumerable.Range(0, queries).Select(_ => (e.Start, "table.query")));
            requests.Add((e.Start, "queue.send"));
        }

        UnitDrift drift = Assert.Single(LatencyDrift.Of(events, requests));

        OperationGrowth grew = Assert.Single(drift.Grew);
        Assert.Equal(new OperationGrowth("table.query", 1, 3), grew);
        Assert.Contains("table.query 1.0 -> 3.0", drift.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_SerializedIntoInspection_ReadsBack()
    {
        var inspection = new Inspection("r") { Drift = [new UnitDrift(Scenarios.DfActivity, 100, 1, 10, 20, 400, [new OperationGrowth("table.query", 1, 2)])] };

        Inspection back = JsonSerializer.Deserialize<Inspection>(JsonSerializer.Serialize(inspection, BenchJson.Options), BenchJson.Options)!;

        UnitDrift drift = Assert.Single(back.Drift!);
        Assert.Equal(20, drift.LastTenthMedianMs);
        Assert.Equal(new OperationGrowth("table.query", 1, 2), Assert.Single(drift.Grew));
    }

    private static EventRecord[] Unit(string scenario, int n, int repetition, DateTime start, Func<int, double> latency)
        => [.. Enumerable.Range(0, n).Select(i => new EventRecord(scenario, n, repetition, i, start.AddSeconds(i), start.AddSeconds(i).AddMilliseconds(1), latency(i)))];
}

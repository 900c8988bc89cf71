namespace FunctionsBench.Tests.Orchestration;

/// <summary>How a run is cut into units and segments, and the ids that name them.</summary>
public sealed class PlanAndIdsTests
{
    private static readonly BenchUnit Unit = new(Scenarios.DfSubOrchestration, 4000, 3);

    [Theory]
    [InlineData(Scenarios.DfActivity, BenchModes.Checkpointed, 250, 100, 3, 50)]
    [InlineData(Scenarios.DfActivity, BenchModes.Single, 250, 100, 1, 250)]
    [InlineData(Scenarios.DfEntity, BenchModes.Checkpointed, 100, 100, 1, 100)]
    [InlineData(Scenarios.StateFun, BenchModes.Single, 60_000, 100, 3, 10_000)]
    [InlineData(Scenarios.StateFun, BenchModes.Checkpointed, 25_000, 10, 1, 25_000)]
    public void Segments_CoverTheUnitOnceInOrder(string scenario, string mode, int n, int checkpointEvery, int expectedSegments, int lastCount)
    {
        var settings = new BenchSettings([scenario], [n], 1, mode, checkpointEvery, 1, "http://x/", "1", "Joe");

        IReadOnlyList<(int First, int Count)> segments = BenchPlan.Segments(settings, Scenarios.Get(scenario), n);

        Assert.Equal(expectedSegments, segments.Count);
        Assert.Equal(lastCount, segments[^1].Count);
        Assert.Equal(Enumerable.Range(0, n), segments.SelectMany(s => Enumerable.Range(s.First, s.Count)));
    }

    [Fact]
    public void WarmUps_ScaleStateFunAndVanishAtZero()
    {
        var settings = new BenchSettings([Scenarios.DfEntity, Scenarios.StateFun], [10], 1, BenchModes.Single, 100, 1, "http://x/", "1", "Joe", Warmup: 7);

        Assert.Equal([new BenchUnit(Scenarios.DfEntity, 7, 0), new BenchUnit(Scenarios.StateFun, 140, 0)], BenchPlan.WarmUps(settings));
        Assert.Empty(BenchPlan.WarmUps(settings with { Warmup = 0 }));
    }

    [Fact]
    public void Parse_ReadsBackEveryOrchestrationIdItBuilds()
    {
        Assert.Equal((Unit, (int?)null, (int?)null), InstanceIds.Parse("run1", InstanceIds.Unit("run1", Unit)));
        Assert.Equal((Unit, (int?)12, (int?)null), InstanceIds.Parse("run1", InstanceIds.Segment("run1", Unit, 12)));
        Assert.Equal((Unit, (int?)null, (int?)3999), InstanceIds.Parse("run1", InstanceIds.SubOrchestration("run1", Unit, 3999)));
    }

    [Theory]
    [InlineData("run2:df-activity:10:1")]
    [InlineData("run1:df-nothing:10:1")]
    [InlineData("run1:df-activity:ten:1")]
    [InlineData("run1:df-activity:10:1:x7")]
    [InlineData("run1")]
    public void Parse_AnotherRunsOrMalformedId_IsNull(string id) => Assert.Null(InstanceIds.Parse("run1", id));

    [Fact]
    public void ParseGreeterKey_ReadsTheUnitOfItsOwnRunOnly()
    {
        var unit = new BenchUnit(Scenarios.DfEntity, 1000, 2);
        string key = InstanceIds.GreeterKey("user.name-1", "run1", unit);

        Assert.Equal(unit, InstanceIds.ParseGreeterKey("run1", key));
        Assert.Null(InstanceIds.ParseGreeterKey("run2", key));
    }
}

namespace FunctionsBench.Tests;

/// <summary>The scenario folders fit together: each registered scenario has one durable part calling its callee, its facts, its warm-up.</summary>
public sealed class ScenarioRegistryTests
{
    public static TheoryData<string> Names => [.. Scenarios.Names];

    [Fact]
    public void Registry_KeepsThePublicNamesInTheirOrder()
        => Assert.Equal(["df-activity", "df-suborchestration", "df-entity", "statefun", "cart-df", "cart-statefun"], Scenarios.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void Invocation_EveryScenario_HasExactlyOneThatCallsItsCallee(string name)
    {
        ScenarioInvocation invocation = ScenarioInvocations.Get(name);

        Assert.Same(Scenarios.Get(name), invocation.Scenario);
        Assert.Equal(invocation.Scenario.Callee, invocation.Callee);
    }

    [Fact]
    public void Invocations_AreTheRegistryInItsOrder()
        => Assert.Equal(Scenarios.All, ScenarioInvocations.All.Select(i => i.Scenario));

    [Fact]
    public void Callees_AreTheGreeterFunctionsByName()
    {
        Assert.Equal(
            [nameof(SayHello), nameof(GreeterOrchestration), nameof(GreeterEntity), nameof(StateFunLogins), nameof(ShoppingCart.DurableFunctions.CartEntity), nameof(StateFunCart)],
            Scenarios.All.Select(s => s.Callee));
        Assert.Equal(nameof(GreeterEntity.Login), DfEntityScenario.Operation);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void History_DurableScenariosHaveARuleAndStateFunNone(string name)
    {
        Scenario scenario = Scenarios.Get(name);

        // The cart's operations are several entity calls each, not one call to match: it is durable but has no rule.
        Assert.Equal(scenario.IsDurable && !scenario.HasUsers, scenario.History is not null);
        Assert.Equal(name == Scenarios.DfSubOrchestration, scenario.History?.CountsCalleeRows ?? false);
    }

    [Fact]
    public void WarmUps_AreRepetitionZeroScaledPerScenario()
    {
        var settings = new BenchSettings([Scenarios.DfActivity, Scenarios.StateFun], [10], 1, BenchModes.Checkpointed, 5, 1, "http://x/", "1", "Joe", Warmup: 7);

        IReadOnlyList<BenchUnit> warmUps = BenchPlan.WarmUps(settings);

        Assert.Equal([new BenchUnit(Scenarios.DfActivity, 7, 0), new BenchUnit(Scenarios.StateFun, 140, 0)], warmUps);
        Assert.All(warmUps, u => Assert.True(u.IsWarmup));
        Assert.Empty(BenchPlan.WarmUps(settings with { Warmup = 0 }));
        Assert.All(BenchPlan.Units(settings), u => Assert.False(u.IsWarmup));
    }

    [Fact]
    public void BenchUnit_IsWarmup_IsNotWrittenToJson()
        => Assert.DoesNotContain("arm", JsonSerializer.Serialize(new BenchUnit(Scenarios.DfActivity, 3, 0)), StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void TimingRecord_WithoutOperation_WritesNoOperationField()
    {
        Assert.DoesNotContain("Operation", JsonSerializer.Serialize(new TimingRecord(1, DateTime.UnixEpoch, DateTime.UnixEpoch)), StringComparison.Ordinal);
        Assert.Contains("\"Operation\":\"AddToCart\"", JsonSerializer.Serialize(new TimingRecord(1, DateTime.UnixEpoch, DateTime.UnixEpoch, "AddToCart")), StringComparison.Ordinal);
    }

    [Fact]
    public void Invariants_ABrokenOneFailsNamingEveryBrokenOne()
    {
        InvariantResult[] results = [new("a", true, "fine"), new("b", false, "b broke: 3 != 4."), new("c", false, "c broke: -1 < 0.")];

        var e = Assert.Throws<InvalidOperationException>(() => InvariantResult.ThrowIfBroken(results));

        Assert.Equal("b broke: 3 != 4. c broke: -1 < 0.", e.Message);
        InvariantResult.ThrowIfBroken([new("a", true, "fine")]);
    }

    [Fact]
    public void ChartStyle_ComesFromTheScenarioAndUnknownIsGrey()
    {
        Assert.Equal("#d95f02", FunctionsBench.BenchOrchestrator.Report.Svg.ScenarioStyles.Of(Scenarios.DfActivity).Color);
        Assert.Equal("#666666", FunctionsBench.BenchOrchestrator.Report.Svg.ScenarioStyles.Of("nope").Color);
    }
}

using FunctionsBench.BenchOrchestrator.Thesis;

namespace FunctionsBench.Tests;

/// <summary>The thesis' Tables 5.3 and 5.4, formula 4.1 on their own times, and the comparisons built on them.</summary>
public class ThesisTablesTests
{
    [Theory]
    [InlineData(Scenarios.StateFun, 1000, 27.778, false)]
    [InlineData(Scenarios.StateFun, 16000, 65.041, false)]
    [InlineData(Scenarios.DfActivity, 1000, 2.099, false)]
    [InlineData(Scenarios.DfActivity, 2000, 1.790, true)]
    [InlineData(Scenarios.DfActivity, 3000, 1.184, false)]
    [InlineData(Scenarios.DfActivity, 4000, 0.888, true)]
    public void Row_Formula41OnItsOwnTime_FlagsThePrintedFiguresItDoesNotGive(string scenario, int n, double formula, bool differs)
    {
        ThesisRow row = ThesisTables.Find(scenario, n)!;

        Assert.Equal(formula, row.EventsPerSecond, 3);
        Assert.Equal(differs, row.PrintedDiffers);
    }

    [Fact]
    public void Tables_HoldEveryPrintedNumber()
    {
        Assert.Equal([(1000, 36.0, 28.0), (4000, 83, 48), (8000, 127, 63), (16000, 246, 65)], ThesisTables.StateFun.Select(r => (r.Invocations, r.ExecutionSeconds, r.PrintedEventsPerSecond)));
        Assert.Equal([(1000, 1906.0, 2.1), (2000, 4470, 1.78), (3000, 10132, 1.2), (4000, 18023, 0.8)], ThesisTables.DurableFunctions.Select(r => (r.Invocations, r.ExecutionSeconds, r.PrintedEventsPerSecond)));
        Assert.Equal("0.8", ThesisTables.Find(Scenarios.DfActivity, 4000)!.Printed);
        Assert.Equal("1.78", ThesisTables.Find(Scenarios.DfActivity, 2000)!.Printed);
    }

    [Fact]
    public void Rows_RunAtSomeThesisN_PairsThoseAndLeavesTheRestEmpty()
    {
        ScenarioSummary[] summaries = [new(Scenarios.DfActivity, 2000, 1, 20, 400, null, null)];

        IReadOnlyList<ThesisComparisonRow> rows = ThesisComparison.Rows(summaries);

        Assert.Equal(8, rows.Count);
        ThesisComparisonRow paired = Assert.Single(rows, r => r.Run is not null);
        Assert.Equal(2000, paired.Thesis.Invocations);
        Assert.Equal(400 / (8000 / 4470.0), paired.SpeedUp!.Value, 6);
    }

    [Fact]
    public void HeadToHead_StateFunBesideEachDurableScenario_WithTheThesisRatioWhereBothTablesHaveN()
    {
        ScenarioSummary[] summaries =
        [
            new(Scenarios.DfActivity, 4000, 1, 40, 400, null, null, MeanInvocationsPerSecond: 100),
            new(Scenarios.DfEntity, 4000, 1, 80, 200, null, null, MeanInvocationsPerSecond: 50),
            new(Scenarios.StateFun, 4000, 1, 1, 4000, null, null, MeanInvocationsPerSecond: 4000),
            new(Scenarios.StateFun, 8000, 1, 2, 4000, null, null, MeanInvocationsPerSecond: 4000),
        ];

        IReadOnlyList<HeadToHeadRow> rows = ThesisComparison.HeadToHead(summaries);

        Assert.Equal(2, rows.Count);
        Assert.Equal(40, rows.Single(r => r.Durable == Scenarios.DfActivity).Ratio, 9);
        Assert.Equal(80, rows.Single(r => r.Durable == Scenarios.DfEntity).Ratio, 9);
        // Thesis at N = 4000: StateFun 4000/83 s against DF 4000/18023 s.
        Assert.Equal(18023 / 83.0, rows.Single(r => r.Durable == Scenarios.DfActivity).ThesisRatio!.Value, 9);
        Assert.Null(rows.Single(r => r.Durable == Scenarios.DfEntity).ThesisRatio);
    }

    [Fact]
    public void InvocationsByScenario_IsTheThesisProcedure()
    {
        Assert.Equal([1000, 2000, 3000, 4000], ThesisTables.InvocationsByScenario[Scenarios.DfActivity]);
        Assert.Equal([1000, 4000, 8000, 16000], ThesisTables.InvocationsByScenario[Scenarios.StateFun]);
        Assert.Equal(5, ThesisTables.Repetitions);
        Assert.Equal(BenchModes.Single, ThesisTables.Mode);
    }
}

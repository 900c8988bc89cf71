using FunctionsBench.BenchOrchestrator.Compare;
using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.BenchOrchestrator.Report;

namespace FunctionsBench.Tests;

/// <summary>compare: efficiency ratios beside events/s, a warning when the runs' settings differ; the report's drift and floor columns.</summary>
public class CompareSettingsTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Compare_TwoRepetitionsEachWithFloors_GivesTheEfficiencyRatioWithItsInterval()
    {
        ComparedRun a = Run("a", new StorageSetup(StorageSetup.DevelopmentAccount, true, "disk", 1, true, 1000, 32), 100, 100);
        ComparedRun b = Run("b", new StorageSetup(StorageSetup.DevelopmentAccount, true, "disk", 1, true, 1000, 32), 50, 50);

        ComparisonRow row = Assert.Single(RunComparison.Compare([a, b]));

        // The same invocations/s against floors half as fast: efficiency doubles.
        Assert.Equal(2, row.EfficiencyRatio!.Value, 6);
        Assert.NotNull(row.Efficiency);
        Assert.Empty(RunComparison.SettingsDifferences([a, b]));
        string html = CompareHtml.Build([a, b], [row], [], []);
        Assert.Contains("<h2>Efficiency over repetitions</h2>", html);
        Assert.Contains("<title>FunctionsBench: A a vs B b</title>", html);
    }

    [Fact]
    public void SettingsDifferences_TunedAgainstDefaults_NamesEachSettingThatDiffers()
    {
        ComparedRun a = Run("a", new StorageSetup(StorageSetup.DevelopmentAccount, true, "disk", 1, true, 1000, 32), 100, 100);
        ComparedRun b = Run("b", new StorageSetup(StorageSetup.DevelopmentAccount, true, "memory", 4, false, 30_000, 32), 100, 100);

        string difference = Assert.Single(RunComparison.SettingsDifferences([a, b]));

        Assert.Equal("B differs from A in storage disk -> memory; partitions 1 -> 4; extended sessions on -> off; max polling ms 1000 -> 30000", difference);
        Assert.Contains("The runs differ in more than the change under test", CompareHtml.Build([a, b], RunComparison.Compare([a, b]), [], [difference]), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_EveryResultShowsTheFloorEachEfficiencyUsed_AndTheDriftSection()
    {
        ComparedRun run = Run("a", null, 125, 100);
        EventRecord[] events = [.. Enumerable.Range(0, 100).Select(i => new EventRecord(Scenarios.DfActivity, 1000, 1, i, T0.AddSeconds(i), T0.AddSeconds(i + 0.1), 10 + i))];

        string html = HtmlReport.Build(run.Document, inspection: null, events);

        // 1000 invocations in 10 s against a unit floor of 125 steps/s: 0.80.
        Assert.Contains("<td>1</td><td>0.80</td><td>125.0</td><td>unit</td>", html);
        Assert.Contains("<h2>Latency drift within a unit</h2>", html);
        Assert.Contains("<b class=\"bad\">7.21&times;</b>", html);
    }

    private static ComparedRun Run(string label, StorageSetup? storage, double floor1, double floor2)
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [1000], 2, BenchModes.Checkpointed, 100, 1, "http://127.0.0.1/", "1", "Joe");
        BenchFloors UnitFloor(double stepsPerSecond) => new(new StorageFloor(stepsPerSecond, new FloorMs(1, 1, 1), 2, 0, 0, 1, 8, "Azurite", "http://q"), null, null, "none");
        ScenarioResult[] results =
        [
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 1000, 1), T0, T0.AddSeconds(10), [10.0], unitFloors: UnitFloor(floor1)),
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 1000, 2), T0, T0.AddSeconds(11), [10.0], unitFloors: UnitFloor(floor2)),
        ];
        var document = new ResultsDocument(label + "-id", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results), Storage: storage);
        return new ComparedRun(label, document, []);
    }
}

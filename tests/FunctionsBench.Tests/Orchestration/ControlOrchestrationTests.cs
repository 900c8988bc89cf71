using FunctionsBench.BenchOrchestrator.Floors;

namespace FunctionsBench.Tests.Orchestration;

/// <summary>The control orchestration's loop on a mocked context: floors, warm-ups, units in plan order, the document.</summary>
public sealed class ControlOrchestrationTests
{
    [Fact]
    public async Task Run_TwoScenariosTwoNsTwoRepetitions_WarmsUpEachScenarioThenRunsTheUnitsInPlanOrder()
    {
        var fake = new FakeOrchestration();
        List<UnitInput> units = SetUpUnits(fake);
        SetUpFloors(fake, new BenchFloors(null, "no storage", null, "no http"));
        BenchRun run = Run([Scenarios.DfActivity, Scenarios.StateFun], [10, 20], repetitions: 2, warmup: 5);

        ResultsDocument document = await new BenchControlOrchestration().RunAsync(fake.Context, run);

        Assert.Equal(
            [(Scenarios.DfActivity, 5, 0), (Scenarios.StateFun, 100, 0),
             (Scenarios.DfActivity, 10, 1), (Scenarios.StateFun, 10, 1), (Scenarios.DfActivity, 10, 2), (Scenarios.StateFun, 10, 2),
             (Scenarios.DfActivity, 20, 1), (Scenarios.StateFun, 20, 1), (Scenarios.DfActivity, 20, 2), (Scenarios.StateFun, 20, 2)],
            units.Select(u => (u.Unit.Scenario, u.Unit.Invocations, u.Unit.Repetition)));
        Assert.Equal(8, document.Results.Count);
        Assert.Equal(4, document.Summary.Count);
        Assert.Equal("no storage", document.Floors?.StorageError);
        Assert.Equal(StateFunEndpoint.ThisHost, document.StateFun?.Kind);
        Assert.Equal(new BenchProgress("done", null, 0, 0, 8, 8, 120, 120, null), fake.CustomStatuses[^1]);
    }

    [Fact]
    public async Task Run_FloorsActivityFails_GoesOnWithTheFailureAsBothFloorsReason()
    {
        var fake = new FakeOrchestration();
        SetUpUnits(fake);
        fake.Mock.Setup(c => c.CallActivityAsync<BenchFloors>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ThrowsAsync(new TaskFailedException(nameof(MeasureFloors), 0, new TaskFailureDetails("System.TimeoutException", "too slow", null, null, null)));

        ResultsDocument document = await new BenchControlOrchestration().RunAsync(fake.Context, Run([Scenarios.DfActivity], [3], repetitions: 1, warmup: 0));

        Assert.Single(document.Results);
        Assert.Equal("the MeasureFloors activity failed: System.TimeoutException: too slow", document.Floors?.StorageError);
        Assert.Equal(document.Floors?.StorageError, document.Floors?.HttpError);
        Assert.Null(document.StateFun);
    }

    [Fact]
    public async Task Run_FloorsAreMeasuredAgainstTheHostsOwnNoOpWithItsKey()
    {
        var fake = new FakeOrchestration();
        SetUpUnits(fake);
        MeasureFloorsInput? asked = null;
        fake.Mock.Setup(c => c.CallActivityAsync<BenchFloors>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((_, input, _) => asked = (MeasureFloorsInput)input!)
            .ReturnsAsync(new BenchFloors(null, "x", null, "y"));

        await new BenchControlOrchestration().RunAsync(fake.Context, Run([Scenarios.StateFun], [3], repetitions: 1, warmup: 0) with { NoopUrl = "http://h/api/noop", HostKey = "k" });

        Assert.Equal(new MeasureFloorsInput("http://h/api/noop", "u1", "Joe", "k"), asked);
    }

    private static List<UnitInput> SetUpUnits(FakeOrchestration fake)
    {
        var units = new List<UnitInput>();
        fake.Mock.Setup(c => c.CallSubOrchestratorAsync<ScenarioResult?>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((name, input, options) =>
            {
                var unit = (UnitInput)input!;
                Assert.Equal(nameof(BenchUnitOrchestration), name.Name);
                Assert.Equal(InstanceIds.Unit(FakeOrchestration.RunId, unit.Unit), (options as SubOrchestrationOptions)?.InstanceId);
                units.Add(unit);
                return Task.FromResult(unit.Recorded
                    ? ScenarioResult.From(unit.Unit, FakeOrchestration.T0, FakeOrchestration.T0.AddSeconds(1), [.. Enumerable.Repeat(1.0, unit.Unit.Invocations)], unit.Floors)
                    : null);
            });
        return units;
    }

    private static void SetUpFloors(FakeOrchestration fake, BenchFloors floors)
        => fake.Mock.Setup(c => c.CallActivityAsync<BenchFloors>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>())).ReturnsAsync(floors);

    private static BenchRun Run(IReadOnlyList<string> scenarios, IReadOnlyList<int> invocations, int repetitions, int warmup)
        => new(FakeOrchestration.RunId, new BenchSettings(scenarios, invocations, repetitions, BenchModes.Checkpointed, 100, 1, "http://127.0.0.1:1/x", "u1", "Joe", warmup), "test", "AzureStorage");
}

using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.BenchOrchestrator.Warnings;

namespace FunctionsBench.Tests;

/// <summary>When a run's figures are not this machine's usual ones.</summary>
public class RunWarningsTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void For_StorageFloorFarBelowEarlierRunsOnTheSameMachine_Warns()
    {
        ResultsDocument[] earlier = [Document("a", 200), Document("b", 210), Document("c", 190)];

        string warning = Assert.Single(RunWarnings.For(Document("now", 62.9), null, earlier));

        Assert.Equal("The storage floor was 62.9 steps/s, 31% of this machine's usual 200 (the median of 3 earlier run(s) on the same machine and storage): the machine or the storage was slower than usual.", warning);
    }

    [Fact]
    public void For_FloorNearUsualOrEarlierRunsOnAnotherMachine_NoWarning()
    {
        Assert.Empty(RunWarnings.For(Document("now", 150), null, [Document("a", 200)]));
        Assert.Empty(RunWarnings.For(Document("now", 50), null, [Document("a", 200, cpu: "another CPU")]));
    }

    [Fact]
    public void For_OtherProcessesBusy_WarnsThatTheMachineWasLoaded()
    {
        var inspection = new Inspection("now") { Load = new MachineLoad(2, 60, 1.6, 1.0, "this process") };

        string warning = Assert.Single(RunWarnings.For(Document("now", 200), inspection, []));

        Assert.StartsWith("The machine was loaded: other processes kept 0.60 of its 2 cores busy", warning);
        Assert.Empty(RunWarnings.For(Document("now", 200), new Inspection("now") { Load = new MachineLoad(2, 60, 1.1, 1.0, "this process") }, []));
    }

    [Fact]
    public void For_HypervisorStealsTime_SaysSoInsteadOfBlamingOtherProcesses()
    {
        var inspection = new Inspection("now") { Load = new MachineLoad(2, 60, 1.1, 1.0, "this process", StolenCores: 0.4) };

        string warning = Assert.Single(RunWarnings.For(Document("now", 200), inspection, []));

        Assert.StartsWith("The hypervisor held back 0.40 of the machine's 2 cores on average (steal time", warning);
        Assert.Empty(RunWarnings.For(Document("now", 200), new Inspection("now") { Load = new MachineLoad(2, 60, 1.1, 1.0, "this process", StolenCores: 0.05) }, []));
    }

    [Fact]
    public void For_UnitFloorsSpreadMoreThanTwofold_WarnsTheSpeedChanged()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [10], 2, BenchModes.Checkpointed, 5, 1, "http://x/", "1", "Joe");
        BenchFloors Floor(double rate) => new(new StorageFloor(rate, new FloorMs(1, 1, 1), 1, 0, 0, 1, 8, "Azurite", "q"), null, null, "none");
        ScenarioResult[] results =
        [
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 10, 1), T0, T0.AddSeconds(1), [1.0], unitFloors: Floor(200)),
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 10, 2), T0, T0.AddSeconds(1), [1.0], unitFloors: Floor(60)),
        ];
        var document = new ResultsDocument("now", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results));

        Assert.Contains("ranged from 60 to 200 steps/s", Assert.Single(RunWarnings.For(document, null, [])));
    }

    private static ResultsDocument Document(string id, double storageSteps, string cpu = "Xeon")
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [10], 1, BenchModes.Checkpointed, 5, 1, "http://x/", "1", "Joe");
        var floors = new BenchFloors(new StorageFloor(storageSteps, new FloorMs(1, 1, 1), 1, 0, 0, 1, 8, "Azurite", "q"), null, null, "none");
        return new ResultsDocument(id, "embedded", "AzureStorage", T0, T0, settings, [], [], floors, new StorageSetup(StorageSetup.DevelopmentAccount, true, "disk", 1, true, 1000, 32),
            new RunEnvironment(2, cpu, null, "Linux", ".NET 10", new Dictionary<string, string>()));
    }
}

using FunctionsBench.BenchOrchestrator.Thesis;

namespace FunctionsBench.Tests;

/// <summary>Whether a run followed the thesis' procedure, and the intervals its ratios carry.</summary>
public class ProcedureCheckTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Of_DefaultRun_CheckpointedAndTuned_IsNotTheSameProcedure()
    {
        ResultsDocument document = Document(BenchModes.Checkpointed, new StorageSetup(StorageSetup.DevelopmentAccount, true, "disk", 1, true, 1000, 32));

        ProcedureCheck check = ProcedureCheck.Of(document);

        Assert.False(check.SameProcedure);
        Assert.Equal(ProcedureCheck.NotSameProcedure, check.RatioLabel);
        Assert.Equal("tuned: 1 partition, extended sessions, max polling 1000 ms", check.Aspects.Single(a => a.Aspect == "host.json").ThisRun);
        Assert.False(check.Aspects.Single(a => a.Aspect == "mode").Matches);
    }

    [Fact]
    public void Of_ThesisPresetOnAzurite_IsTheSameProcedureWithThePlatformDifferencesNamed()
    {
        ResultsDocument document = Document(BenchModes.Single, new StorageSetup(StorageSetup.DevelopmentAccount, true, "disk", 4, false, 30_000, 32)) with
        {
            StateFun = new StateFunEndpoint("http://127.0.0.1/statefun", StateFunEndpoint.ThisHost, "greeter", StateFunEndpoint.EmulatedRuntime),
        };

        ProcedureCheck check = ProcedureCheck.Of(document);

        Assert.True(check.SameProcedure);
        Assert.Equal("same procedure; storage and StateFun runtime differ", check.RatioLabel);
    }

    [Fact]
    public void Of_SettingsNotRecorded_IsNotCalledTheSameProcedure()
    {
        ProcedureCheck check = ProcedureCheck.Of(Document(BenchModes.Single, storage: null));

        Assert.False(check.SameProcedure);
        Assert.Equal("its settings were not recorded", check.Aspects.Single(a => a.Aspect == "host.json").ThisRun);
    }

    [Fact]
    public void HeadToHeadInterval_TwoRepetitions_BracketsTheRatio()
    {
        // df-activity 10 and 12 invocations/s, statefun 1000 and 1100: ratio 1050 / 11 = 95.45.
        ScenarioResult[] results =
        [
            Result(Scenarios.DfActivity, 1, 10), Result(Scenarios.DfActivity, 2, 12), Result(Scenarios.StateFun, 1, 1000), Result(Scenarios.StateFun, 2, 1100),
        ];
        ResultsDocument document = Document(BenchModes.Single, null) with { Results = results };

        (double ratio, double low, double high) = ProcedureCheck.HeadToHeadInterval(document, Scenarios.DfActivity, 100)!.Value;

        Assert.Equal(1050.0 / 11, ratio, 3);
        Assert.True(low < ratio && ratio < high);
        Assert.Null(ProcedureCheck.HeadToHeadInterval(document with { Results = [results[0], results[2]] }, Scenarios.DfActivity, 100));
    }

    private static ScenarioResult Result(string scenario, int repetition, double invocationsPerSecond)
        => ScenarioResult.From(new BenchUnit(scenario, 100, repetition), T0, T0.AddSeconds(100 / invocationsPerSecond), [1.0]);

    private static ResultsDocument Document(string mode, StorageSetup? storage)
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [100], 1, mode, 100, 1, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results = [Result(Scenarios.DfActivity, 1, 10)];
        return new ResultsDocument("r", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results), Storage: storage);
    }
}

using System.Collections.Concurrent;
using FunctionsBench.BenchOrchestrator;
using FunctionsBench.Hosting;
using FunctionsBench.StateFun;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;

namespace FunctionsBench.Tests;

/// <summary>
/// The control orchestration with the app's real orchestrations and activities on the in-process Durable Task host.
/// That host has no entities, so the records go to an in-memory sink instead of the timings entities (the entity
/// logic is tested directly, and end to end on the embedded host); everything else is the production code.
/// </summary>
public sealed class ControlOrchestrationTests : IAsyncLifetime
{
    private DurableTaskTestHost host = null!;
    private StateFunServer stateFun = null!;

    public async Task InitializeAsync()
    {
        stateFun = await StateFunServer.StartAsync();
        host = await DurableTaskTestHost.StartAsync(
            registry =>
            {
                DurableCatalog.AddTo(registry, DurableCatalog.App.Where(e => e.Name != nameof(BenchControlOrchestration)));
                registry.AddOrchestrator(nameof(BenchControlOrchestration), typeof(SinkRecordingControl));
            },
            new DurableTaskTestHostOptions { Port = FreePort.Next(), ConfigureServices = services => services.AddBench(new ConfigurationBuilder().Build()) });
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await stateFun.DisposeAsync();
    }

    [Theory]
    [InlineData(Scenarios.DfActivity, BenchModes.Single, 1)]
    [InlineData(Scenarios.DfActivity, BenchModes.Checkpointed, 1)]
    [InlineData(Scenarios.DfSubOrchestration, BenchModes.Single, 1)]
    [InlineData(Scenarios.DfSubOrchestration, BenchModes.Checkpointed, 1)]
    [InlineData(Scenarios.DfActivity, BenchModes.Checkpointed, 3)]
    [InlineData(Scenarios.DfSubOrchestration, BenchModes.Single, 4)]
    [InlineData(Scenarios.StateFun, BenchModes.Single, 1)]
    [InlineData(Scenarios.StateFun, BenchModes.Checkpointed, 1)]
    public async Task Run_SmallN_RecordsExactlyNPerUnitAndBoundsHistoryByMode(string scenario, string mode, int parallelism)
    {
        const int checkpointEvery = 5;
        var settings = new BenchSettings([scenario], [7, 12], 2, mode, checkpointEvery, parallelism, stateFun.BaseAddress.ToString(), "u1", "Joe");
        string runId = Guid.NewGuid().ToString("N");

        ResultsDocument document = await this.RunAsync(new BenchRun(runId, settings, "test", "InProcess"));

        Assert.Equal(runId, document.RunId);
        Assert.Equal(4, document.Results.Count);
        foreach (ScenarioResult result in document.Results)
        {
            Assert.Equal(result.Invocations, result.Recorded);
            Assert.Equal(result.Invocations * Scenarios.EventsPerInvocation(scenario), result.Events);
            Assert.True(result.ExecutionSeconds > 0);
            Assert.True(result.LatencyMs.Max >= result.LatencyMs.P50);
            Assert.Equal(Enumerable.Range(0, result.Invocations), SinkRecordingControl.Sequences(runId, result));
        }

        Assert.Equal([(7, 1), (7, 2), (12, 1), (12, 2)], document.Results.Select(r => (r.Invocations, r.Repetition)));
        Assert.All(document.Summary, s => Assert.Equal(2, s.Repetitions));

        // What each execution's history holds: checkpointing caps it at checkpointEvery invocations; single mode does not.
        int largestGeneration = SinkRecordingControl.LargestGeneration(runId);
        // StateFun's driver runs a whole timings chunk (here the whole unit) per activity call, in one generation.
        Assert.Equal(mode == BenchModes.Checkpointed && scenario != Scenarios.StateFun ? checkpointEvery : 12, largestGeneration);
    }

    [Fact]
    public async Task Run_WithWarmup_RunsRepetitionZeroFirstAndRecordsOnlyTheUnits()
    {
        var settings = new BenchSettings(
            [Scenarios.DfSubOrchestration, Scenarios.StateFun], [3], 1, BenchModes.Checkpointed, 2, 1, stateFun.BaseAddress.ToString(), "u1", "Joe", Warmup: 4);
        string runId = Guid.NewGuid().ToString("N");

        ResultsDocument document = await this.RunAsync(new BenchRun(runId, settings, "test", "InProcess"));

        Assert.Equal([(Scenarios.DfSubOrchestration, 3, 1), (Scenarios.StateFun, 3, 1)], document.Results.Select(r => (r.Scenario, r.Invocations, r.Repetition)));
        Assert.All(document.Results, r => Assert.Equal(3, r.Recorded));
        Assert.DoesNotContain(SinkRecordingControl.Units(runId), u => u.Repetition == 0);
        Assert.Equal(4, document.Settings.Warmup);

        // The warm-up's sub-orchestrations ran under their own ids, before the first unit's.
        OrchestrationMetadata? lastWarmup = await host.Client.GetInstanceAsync($"{runId}:4:0:3");
        OrchestrationMetadata? firstMeasured = await host.Client.GetInstanceAsync($"{runId}:3:1:0");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, lastWarmup?.RuntimeStatus);
        Assert.Null(await host.Client.GetInstanceAsync($"{runId}:4:0:4"));
        Assert.True(lastWarmup!.LastUpdatedAt <= firstMeasured!.CreatedAt, $"{lastWarmup.LastUpdatedAt:O} > {firstMeasured.CreatedAt:O}");
    }

    [Fact]
    public async Task Run_CustomStatus_ReportsProgressOfTheLastUnit()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [3], 1, BenchModes.Single, 100, 1, "http://127.0.0.1:1/unused", "u1", "Joe");
        string runId = Guid.NewGuid().ToString("N");

        await this.RunAsync(new BenchRun(runId, settings, "test", "InProcess"));
        OrchestrationMetadata? metadata = await host.Client.GetInstanceAsync(runId, getInputsAndOutputs: true);

        BenchProgress progress = metadata!.ReadCustomStatusAs<BenchProgress>()!;
        Assert.Equal(new BenchProgress(Scenarios.DfActivity, 3, 1, 3, 3, 1, 1, 3, 3), progress);
    }

    private async Task<ResultsDocument> RunAsync(BenchRun run)
    {
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(BenchControlOrchestration), BenchControlState.Start(run), new StartOrchestrationOptions(run.RunId));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        OrchestrationMetadata completed = await host.Client.WaitForInstanceCompletionAsync(run.RunId, getInputsAndOutputs: true, timeout.Token);
        Assert.True(completed.RuntimeStatus == OrchestrationRuntimeStatus.Completed, completed.FailureDetails?.ErrorMessage ?? completed.RuntimeStatus.ToString());
        return completed.ReadOutputAs<ResultsDocument>()!;
    }

    /// <summary>The control orchestration with its records kept in memory, per run and per ContinueAsNew generation.</summary>
    private sealed class SinkRecordingControl : BenchControlOrchestration
    {
        private static readonly ConcurrentDictionary<string, ConcurrentDictionary<(BenchUnit Unit, int Generation, int Sequence), TimingRecord>> Runs = new();

        private int generation;

        public static IEnumerable<int> Sequences(string runId, ScenarioResult result)
            => Runs[runId].Keys.Where(k => k.Unit == new BenchUnit(result.Scenario, result.Invocations, result.Repetition))
                .Select(k => k.Sequence).Order();

        public static IEnumerable<BenchUnit> Units(string runId) => Runs[runId].Keys.Select(k => k.Unit).Distinct();

        public static int LargestGeneration(string runId)
            => Runs[runId].Keys.GroupBy(k => (k.Unit, k.Generation)).Max(g => g.Count());

        public override Task<ResultsDocument?> RunAsync(TaskOrchestrationContext context, BenchControlState state)
        {
            // An execution starts at (unit, next sequence): that pair names the generation whose history holds the records.
            this.generation = (state.Unit * 1_000_000) + state.NextSequence;
            return base.RunAsync(context, state);
        }

        protected override Task RecordAsync(TaskOrchestrationContext context, string runId, BenchUnit unit, IReadOnlyList<TimingRecord> records)
        {
            var sink = Runs.GetOrAdd(runId, _ => new());
            foreach (TimingRecord record in records)
            {
                sink[(unit, this.generation, record.Sequence)] = record;
            }

            return Task.CompletedTask;
        }

        protected override Task<IReadOnlyList<double>> ReadLatenciesAsync(TaskOrchestrationContext context, string runId, BenchUnit unit)
            => Task.FromResult<IReadOnlyList<double>>(Runs[runId].Where(k => k.Key.Unit == unit).OrderBy(k => k.Key.Sequence).Select(k => k.Value.LatencyMs).ToList());
    }
}

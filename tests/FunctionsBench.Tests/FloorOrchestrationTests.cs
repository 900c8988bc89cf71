using System.Collections.Concurrent;
using FunctionsBench.BenchOrchestrator;
using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.Hosting;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;

namespace FunctionsBench.Tests;

/// <summary>
/// The floors in a whole run: the control orchestration with the app's activities on the in-process host, which has no
/// storage account (and no entities, so records go to memory), against a loopback host serving the StateFun endpoint
/// and the no-op beside it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FloorOrchestrationTests : IAsyncLifetime
{
    private LoopbackAppHost app = null!;

    public async Task InitializeAsync() => app = await LoopbackAppHost.StartAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Run_NoStorageConnection_CompletesWithTheStorageErrorAndTheHttpFloor()
    {
        ResultsDocument document = await RunAsync(new Dictionary<string, string?>(), [Scenarios.DfActivity, Scenarios.StateFun]);

        BenchFloors floors = Assert.IsType<BenchFloors>(document.Floors);
        Assert.Null(floors.Storage);
        Assert.Contains(FloorOptions.StorageConnectionSetting, floors.StorageError);
        Assert.NotNull(floors.Http);
        Assert.Null(floors.HttpError);
        Assert.All(document.Results.Where(r => r.Scenario == Scenarios.DfActivity), r => Assert.Null(r.Efficiency));
        Assert.All(document.Results.Where(r => r.Scenario == Scenarios.DfActivity), r => Assert.Equal(1, r.StepsPerInvocation));
        ScenarioResult[] stateFun = document.Results.Where(r => r.Scenario == Scenarios.StateFun).ToArray();
        Assert.All(stateFun, r => Assert.Equal(r.InvocationsPerSecond * 2 / floors.Http.RequestsPerSecond, r.Efficiency!.Value, 9));
        Assert.Equal(stateFun.Average(r => r.Efficiency!.Value), document.Summary.Single(s => s.Scenario == Scenarios.StateFun).MeanEfficiency!.Value, 9);
        Assert.Null(document.Summary.Single(s => s.Scenario == Scenarios.DfActivity).MeanEfficiency);
    }

    [Fact]
    public async Task Run_AzuriteConfigured_MeasuresTheStorageFloorOnceAndRatesEveryUnit()
    {
        ResultsDocument document = await RunAsync(
            new Dictionary<string, string?> { [FloorOptions.StorageConnectionSetting] = AzuriteFixture.ConnectionString }, [Scenarios.DfActivity]);

        StorageFloor storage = Assert.IsType<StorageFloor>(document.Floors?.Storage);
        Assert.True(storage.StepsPerSecond > 0);
        Assert.All(document.Results, r => Assert.Equal(r.InvocationsPerSecond / storage.StepsPerSecond, r.Efficiency!.Value, 9));
        Assert.Equal(1, FloorCountingControl.FloorMeasurements(document.RunId));
    }

    private async Task<ResultsDocument> RunAsync(Dictionary<string, string?> settings, IReadOnlyList<string> scenarios)
    {
        settings["Bench:Floors:StorageWarmupSeconds"] = "0.2";
        settings["Bench:Floors:StorageSeconds"] = "1";
        settings["Bench:Floors:HttpWarmupSeconds"] = "0.1";
        settings["Bench:Floors:HttpSeconds"] = "0.5";
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using DurableTaskTestHost host = await DurableTaskTestHost.StartAsync(
            registry =>
            {
                DurableCatalog.AddTo(registry, DurableCatalog.App.Where(e => e.Name != nameof(BenchControlOrchestration)));
                registry.AddOrchestrator(nameof(BenchControlOrchestration), typeof(FloorCountingControl));
            },
            new DurableTaskTestHostOptions { Port = FreePort.Next(), ConfigureServices = services => services.AddBench(configuration) });

        // Two units of two generations each (checkpoint every 3 of 5): the floors must be measured once for all of them.
        var benchSettings = new BenchSettings(scenarios, [5], 2, BenchModes.Checkpointed, 3, 1, app.StateFunUrl, "u1", "Joe");
        var run = new BenchRun(Guid.NewGuid().ToString("N"), benchSettings, "test", "InProcess");
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(BenchControlOrchestration), BenchControlState.Start(run), new StartOrchestrationOptions(run.RunId));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        OrchestrationMetadata completed = await host.Client.WaitForInstanceCompletionAsync(run.RunId, getInputsAndOutputs: true, timeout.Token);
        Assert.True(completed.RuntimeStatus == OrchestrationRuntimeStatus.Completed, completed.FailureDetails?.ErrorMessage ?? completed.RuntimeStatus.ToString());
        ResultsDocument document = completed.ReadOutputAs<ResultsDocument>()!;
        Assert.Equal(scenarios.Count * 2, document.Results.Count);
        return document;
    }

    /// <summary>The control orchestration with its records kept in memory, counting the generations that started without floors.</summary>
    private sealed class FloorCountingControl : BenchControlOrchestration
    {
        private static readonly ConcurrentDictionary<(string RunId, BenchUnit Unit, int Sequence), TimingRecord> Records = new();
        private static readonly ConcurrentDictionary<string, ConcurrentDictionary<DateTime, byte>> WithoutFloors = new();

        public static int FloorMeasurements(string runId) => WithoutFloors.TryGetValue(runId, out var starts) ? starts.Count : 0;

        public override Task<ResultsDocument?> RunAsync(TaskOrchestrationContext context, BenchControlState state)
        {
            if (state.Floors is null)
            {
                // Replays see the same orchestration time, so each generation counts once.
                WithoutFloors.GetOrAdd(context.InstanceId, _ => new())[context.CurrentUtcDateTime] = 0;
            }

            return base.RunAsync(context, state);
        }

        protected override Task RecordAsync(TaskOrchestrationContext context, string runId, BenchUnit unit, IReadOnlyList<TimingRecord> records)
        {
            foreach (TimingRecord record in records)
            {
                Records[(runId, unit, record.Sequence)] = record;
            }

            return Task.CompletedTask;
        }

        protected override Task<IReadOnlyList<double>> ReadLatenciesAsync(TaskOrchestrationContext context, string runId, BenchUnit unit)
            => Task.FromResult<IReadOnlyList<double>>(Records.Where(r => r.Key.RunId == runId && r.Key.Unit == unit).OrderBy(r => r.Key.Sequence).Select(r => r.Value.LatencyMs).ToList());
    }
}

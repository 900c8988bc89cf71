using FunctionsBench.Embedded.Durable;

namespace FunctionsBench.Faults.Tests;

/// <summary>
/// A second worker taking over (issue 12, item 3): two <c>serve</c> processes on one task hub with 4 partitions share
/// the Azurite the first one started. A parallel run started on the first is killed with it (SIGKILL) while its first
/// unit runs; the second worker takes over the dead one's partitions and completes the run with exactly N records,
/// read through its own status URI. The partition table says how the partitions were shared before and after; the
/// takeover time is printed.
/// </summary>
public sealed class WorkerTakeoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Invocations = 2000;
    private const int Partitions = 4;
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan SharingTimeout = TimeSpan.FromSeconds(90);
    private readonly ServedAzurite azurite = new("takeover");

    [Fact]
    public async Task Run_FirstWorkerKilledMidRun_SecondWorkerTakesOverItsPartitionsAndCompletesWithExactlyNRecords()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        string hub = FaultHosts.NewHub("takeover");
        string[] arguments = ["--partitions", $"{Partitions}", .. this.azurite.Arguments];
        using ServeProcess first = await ServeProcess.StartAsync(FreePorts.Pick(), hub, arguments, TestFloors.Short, timeout.Token);
        using ServeProcess second = await ServeProcess.StartAsync(FreePorts.Pick(), hub, arguments, TestFloors.Short, timeout.Token);
        string firstWorker = PartitionTable.WorkerName(first.Id);
        string secondWorker = PartitionTable.WorkerName(second.Id);

        // Both own partitions before the run starts: the provider balances the leases between the workers.
        var clock = Stopwatch.StartNew();
        IReadOnlyList<PartitionLease> shared = await this.WaitForLeasesAsync(hub, l => l.Count == Partitions && Owned(l, firstWorker) > 0 && Owned(l, secondWorker) > 0, SharingTimeout, timeout.Token);
        output.WriteLine($"shared after {clock.Elapsed.TotalSeconds:0.0} s: {PartitionTable.Describe(shared)}");

        string id = await BenchRuns.StartAsync(first.Http, new { scenarios = new[] { Scenarios.DfActivity }, invocations = new[] { Invocations }, parallelism = 16, warmup = 0 }, timeout.Token);
        RunProgress beforeKill = await BenchRuns.WaitForAsync(first.Http, id, p => p.Phase == "units" && p.UnitDone >= 200, "200 invocations", timeout.Token);
        Assert.True(beforeKill.IsRunning, $"the run ended before the kill: {beforeKill}");
        IReadOnlyList<PartitionLease> atKill = await PartitionTable.ReadAsync(this.azurite.ConnectionString, hub, timeout.Token);
        first.Kill();
        var sinceKill = Stopwatch.StartNew();

        IReadOnlyList<PartitionLease> taken = await this.WaitForLeasesAsync(hub, l => Owned(l, secondWorker) == Partitions, TimeSpan.FromMinutes(3), timeout.Token);
        TimeSpan takeover = sinceKill.Elapsed;
        RunProgress resumed = await BenchRuns.WaitForAsync(second.Http, id, p => p.UnitDone > beforeKill.UnitDone + 16 || !p.IsRunning, "progress after the kill", timeout.Token);
        TimeSpan progress = sinceKill.Elapsed;
        await BenchRuns.WaitForCompletionAsync(second.Http, id, timeout.Token, () => second.Output);
        TimeSpan completed = sinceKill.Elapsed;
        (ResultsDocument results, _) = await BenchRuns.AssertEveryRecordOnceAsync(second.Http, id, [new BenchUnit(Scenarios.DfActivity, Invocations, 1)], timeout.Token);

        output.WriteLine($"at the kill ({beforeKill}): {PartitionTable.Describe(atKill)}");
        output.WriteLine($"takeover: all {Partitions} partitions owned by {secondWorker} {takeover.TotalSeconds:0.0} s after the SIGKILL: {PartitionTable.Describe(taken)}");
        output.WriteLine($"progress resumed {progress.TotalSeconds:0.0} s after the kill ({resumed}); completed {completed.TotalSeconds:0.0} s after it; " +
            $"recorded {results.Results[0].Recorded}, unit {results.Results[0].ExecutionSeconds:0.0} s");

        Assert.True(Owned(atKill, firstWorker) > 0, $"the killed worker owned no partition at the kill: {PartitionTable.Describe(atKill)}");
        Assert.True(second.Process.Wrote("Partitions of task hub"), "the surviving worker did not say how the partitions are shared");
        Assert.Equal(0, await second.StopAsync());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await this.azurite.DisposeAsync();

    private static int Owned(IEnumerable<PartitionLease> leases, string worker) => leases.Count(l => l.Owner == worker);

    private async Task<IReadOnlyList<PartitionLease>> WaitForLeasesAsync(string hub, Func<IReadOnlyList<PartitionLease>, bool> condition, TimeSpan within, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(within);
        IReadOnlyList<PartitionLease> leases = [];
        try
        {
            while (true)
            {
                leases = await PartitionTable.ReadAsync(this.azurite.ConnectionString, hub, wait.Token);
                if (condition(leases))
                {
                    return leases;
                }

                await Task.Delay(250, wait.Token);
            }
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the partitions were not shared as expected within {within.TotalSeconds:0} s: {PartitionTable.Describe(leases)}");
        }
    }
}

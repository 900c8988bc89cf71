using System.Globalization;

namespace FunctionsBench.Faults.Tests;

/// <summary>
/// Azurite's lifecycle across <c>serve</c> processes (issue 12, item 5), on ports and a data folder of the test's own:
/// the Azurite a host started lives while any host uses it and stops with the last; one that a killed host left running
/// is reported by the next host, with the killed host's process id and the messages its task hub left behind.
/// </summary>
public sealed class AzuriteLifecycleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(4);
    private readonly ServedAzurite azurite = new("lifecycle");

    private IReadOnlyList<string> Arguments => this.azurite.Arguments;

    [Fact]
    public async Task Serve_TwoHostsShareTheAzuriteOneStarted_ItStopsWithTheLastHost()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        using ServeProcess first = await ServeProcess.StartAsync(FreePorts.Pick(), FaultHosts.NewHub("life"), this.Arguments, TestFloors.Short, timeout.Token);
        using ServeProcess second = await ServeProcess.StartAsync(FreePorts.Pick(), FaultHosts.NewHub("life"), this.Arguments, TestFloors.Short, timeout.Token);
        Assert.True(second.Process.Wrote("Sharing Azurite"), second.Output);

        Assert.Equal(0, await first.StopAsync());
        Assert.True(first.Process.Wrote("left running for host process(es)"), first.Output);
        Assert.True(await this.azurite.ListeningAsync(), "Azurite stopped while the second host still uses it");
        using HttpResponseMessage alive = await second.Http.GetAsync("api/bench/unknown-run", timeout.Token);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, alive.StatusCode);

        Assert.Equal(0, await second.StopAsync());
        Assert.True(await this.azurite.ClosedWithinAsync(TimeSpan.FromSeconds(15)), $"Azurite still listens after the last host stopped:\n{second.Output}");
    }

    [Fact]
    public async Task Serve_AfterAHostWasKilledMidRun_ReportsTheOrphanAndItsLeftoversAndStopsIt()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        string killedHub = FaultHosts.NewHub("dead");
        int killedPid;
        using (ServeProcess killed = await ServeProcess.StartAsync(FreePorts.Pick(), killedHub, this.Arguments, TestFloors.Short, timeout.Token))
        {
            killedPid = killed.Id;
            string id = await BenchRuns.StartAsync(killed.Http, new { scenarios = new[] { Scenarios.DfActivity }, invocations = new[] { 2000 }, parallelism = 16, warmup = 0 }, timeout.Token);
            RunProgress running = await BenchRuns.WaitForAsync(killed.Http, id, p => p.Phase == "units" && p.UnitDone > 0, "the first unit", timeout.Token);
            Assert.True(running.IsRunning, $"the run ended before the kill: {running}");
            killed.Kill();
        }

        Assert.True(await this.azurite.ListeningAsync(), "the killed host's Azurite is gone: nothing was left behind to find");
        using ServeProcess next = await ServeProcess.StartAsync(FreePorts.Pick(), FaultHosts.NewHub("next"), this.Arguments, TestFloors.Short, timeout.Token);
        string orphan = await next.Process.WaitForLineAsync(l => l.Contains("left behind by host process(es)", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the orphan report", timeout.Token);
        string leftovers = await next.Process.WaitForLineAsync(l => l.Contains("other task hub(s)", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the leftovers report", timeout.Token);
        output.WriteLine(orphan);
        output.WriteLine(leftovers);

        Assert.Contains(killedPid.ToString(CultureInfo.InvariantCulture), orphan, StringComparison.Ordinal);
        Assert.Contains(killedHub.ToLowerInvariant(), leftovers, StringComparison.Ordinal);
        Assert.Equal(0, await next.StopAsync());
        Assert.True(await this.azurite.ClosedWithinAsync(TimeSpan.FromSeconds(15)), $"the orphaned Azurite still listens after the host that took it over stopped:\n{next.Output}");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await this.azurite.DisposeAsync();
}

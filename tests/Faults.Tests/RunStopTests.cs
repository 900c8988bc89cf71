namespace FunctionsBench.Faults.Tests;

/// <summary>
/// <c>bench run</c> stopped by the user (SIGTERM, as a terminal's Ctrl+C or a CI's cancel send): it ends with the one
/// line "bench run: stopped" and exit code 130, stops the Azurite it started, and prints none of the faults that
/// stopping a host in the middle of a unit makes (work items cut off, storage gone before the last activity ended).
/// </summary>
public sealed class RunStopTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ServedAzurite azurite = new("stop");

    [Fact]
    public async Task Run_StoppedMidUnit_SaysStoppedExits130AndPrintsNoEngineFaults()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var folder = new ScratchFolder("fb-stop");
        string[] arguments = [BenchCli.HostDll, "run", "--scenarios", "df-activity", "--invocations", "5000", "--out", folder.Path, .. this.azurite.Arguments];
        // A storage floor long enough that the stop comes while its activity still runs, the hardest moment to stop at.
        var environment = new Dictionary<string, string>(TestFloors.Short) { ["Bench__Floors__StorageSeconds"] = "20" };
        using ChildProcess run = ChildProcess.Start("dotnet", arguments, environment);

        await run.WaitForLineAsync(l => l.StartsWith("Status: ", StringComparison.Ordinal), TimeSpan.FromMinutes(2), "the run's status URI", timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(3), timeout.Token);
        int exitCode = await run.StopAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(run.Output);

        Assert.Equal(130, exitCode);
        Assert.Equal("bench run: stopped", run.Output.Split('\n')[^1].Trim());
        Assert.DoesNotContain(" fail: ", run.Output, StringComparison.Ordinal);
        Assert.False(await this.azurite.ListeningAsync(), "the Azurite the run started still answers after it stopped");
    }

    /// <inheritdoc/>
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc/>
    public async Task DisposeAsync() => await this.azurite.DisposeAsync();
}

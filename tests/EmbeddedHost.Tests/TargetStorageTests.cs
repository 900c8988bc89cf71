using System.Text.Json;
using FunctionsBench.Testing;

namespace FunctionsBench.Embedded.Tests;

/// <summary>
/// <c>./bench run --target URL</c> without <c>--connection</c>: History and queues are read only from storage proven to
/// be the app's, never from the development storage because it happens to answer.
/// </summary>
public sealed class TargetStorageTests
{
    [Fact]
    public async Task RunTarget_AppOnAnotherAzuriteAndNoConnection_ReadsHistoryFromTheAppsAzuriteAndSaysQueuesWereNotSampled()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await using TestAzurite azurite = await TestAzurite.StartAsync("target");
        string hub = "target" + Guid.NewGuid().ToString("N")[..12];
        using ServeProcess serve = await ServeProcess.StartAsync(FreePorts.Pick(), hub, azurite.ConnectionString, TestFloors.Short, timeout.Token);
        using var scratch = new ScratchFolder("fb-target");

        BenchCliResult run = await BenchCli.RunAsync(
            ["run", "--target", serve.BaseAddress.ToString(), "--scenarios", "df-activity", "--invocations", "5", "--warmup", "0", "--out", scratch.Path],
            timeout: TimeSpan.FromMinutes(5));
        string stdout = string.Join(' ', run.Stdout.Split('\n', StringSplitOptions.TrimEntries));
        using JsonDocument inspection = JsonDocument.Parse(await File.ReadAllTextAsync(scratch.File("inspection.json")));
        JsonElement history = inspection.RootElement.GetProperty("historyCheck");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"?taskHub={hub}", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Queue depths are not sampled: the run's instance is not in task hub {hub} of the development storage", stdout, StringComparison.Ordinal);
        Assert.Contains($"from results.json's floors.storage.queueEndpoint: the storage at http://127.0.0.1:{azurite.BlobPort + 2}/devstoreaccount1; History is read there.", stdout, StringComparison.Ordinal);
        Assert.True(history.GetProperty("available").GetBoolean(), history.ToString());
        Assert.Equal(hub, history.GetProperty("taskHub").GetString());
        Assert.True(history.GetProperty("rows").GetInt32() > 0, history.ToString());
        Assert.Equal(JsonValueKind.Null, inspection.RootElement.GetProperty("queueDepths").ValueKind);
    }
}

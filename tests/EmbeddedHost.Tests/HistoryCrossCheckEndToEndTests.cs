using System.Text.Json;

namespace FunctionsBench.Embedded.Tests;

/// <summary>
/// <c>bench run</c> end to end on Azurite: after the run it reads the task hub's History table, samples the queues and
/// counts the storage requests; inspection.json and report.html carry them.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestLane.Trait, TestLane.Full)]
public sealed class HistoryCrossCheckEndToEndTests
{
    [Fact]
    public async Task RunCommand_CheckpointedActivity_HistoryCheckMatchesEveryInvocationWithFourEventsEach()
    {
        using var output = new ScratchFolder("fb-history");
        BenchCliResult run = await BenchCli.RunAsync(
            ["run", "--connection", AzuriteFixture.ConnectionString, "--scenarios", "df-activity", "--invocations", "20", "--checkpoint-every", "5", "--warmup", "0", "--out", output.Path],
            TestFloors.ShortUnitFloors,
            TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, $"bench run: {run}");

        using JsonDocument results = JsonDocument.Parse(await File.ReadAllTextAsync(output.File("results.json")));
        using JsonDocument inspection = JsonDocument.Parse(await File.ReadAllTextAsync(output.File("inspection.json")));
        JsonElement check = inspection.RootElement.GetProperty("historyCheck");
        JsonElement activity = check.GetProperty("results")[0];
        JsonElement firstSample = inspection.RootElement.GetProperty("queueDepths")[0];
        string report = await File.ReadAllTextAsync(output.File("report.html"));
        double latencyP50 = results.RootElement.GetProperty("results")[0].GetProperty("latencyMs").GetProperty("p50").GetDouble();

        // Four segments of five invocations, each an instance of its own: every invocation's rows are there.
        Assert.True(check.GetProperty("available").GetBoolean(), check.GetProperty("notes").ToString());
        Assert.Equal("df-activity", activity.GetProperty("scenario").GetString());
        Assert.Equal(20, activity.GetProperty("matched").GetInt32());
        Assert.Equal(4, activity.GetProperty("eventsPerInvocation").GetInt32());
        Assert.Equal(4.0, activity.GetProperty("measuredEventsPerInvocation").GetDouble());

        // The answer's row is written inside the invocation: the time from it to the recorded end is part of the latency.
        Assert.True(activity.GetProperty("endGapMs").GetProperty("median").GetDouble() <= latencyP50, $"{activity} against p50 {latencyP50}");
        Assert.True(firstSample.TryGetProperty("t", out _) && firstSample.TryGetProperty("control", out _) && firstSample.TryGetProperty("workItems", out _));
        Assert.Contains("<td>df-activity</td><td>20</td><td>1</td><td>20</td><td>20</td><td>4</td><td>4</td>", report);
        Assert.Contains("History cross-check", run.Stdout);
        Assert.False(results.RootElement.TryGetProperty("historyCheck", out _), "results.json carries the measurement alone");

        // Every step of an activity call sends, receives and deletes a message on each of two queues and writes
        // History and Instances rows; the counted requests must show at least those.
        JsonElement requests = inspection.RootElement.GetProperty("storageRequests")[0];
        JsonElement byOperation = requests.GetProperty("byOperation");
        Assert.Equal("df-activity", requests.GetProperty("scenario").GetString());
        Assert.True(requests.GetProperty("perInvocation").GetDouble() >= 6, requests.ToString());
        foreach (string operation in new[] { "queue.receive", "queue.send", "queue.delete", "table.batch" })
        {
            Assert.True(byOperation.TryGetProperty(operation, out JsonElement perInvocation) && perInvocation.GetDouble() >= 1, $"{operation}: {requests}");
        }

        // The provider polls again right after each message it takes: some receives come back empty.
        Assert.True(byOperation.TryGetProperty("queue.receive.empty", out JsonElement empty) && empty.GetDouble() > 0, requests.ToString());

        Assert.Contains("<h2>Storage requests per invocation</h2>", report);
        Assert.Contains("Storage requests per invocation", run.Stdout);
        JsonElement storage = results.RootElement.GetProperty("storage");
        Assert.True(storage.GetProperty("emulator").GetBoolean());
        Assert.Equal(JsonValueKind.Null, storage.GetProperty("azuriteMode").ValueKind);
    }
}

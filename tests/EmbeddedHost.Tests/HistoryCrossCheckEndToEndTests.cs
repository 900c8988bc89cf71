using System.Diagnostics;
using System.Text.Json;

namespace FunctionsBench.Embedded.Tests;

/// <summary>
/// <c>bench run</c> end to end on Azurite: after the run it reads the task hub's History table and samples the queues,
/// and results.json and report.html carry both.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HistoryCrossCheckEndToEndTests
{
    [Fact]
    public async Task RunCommand_SingleModeActivity_HistoryCheckMatchesInvocationsWithFourEventsEach()
    {
        string output = Path.Combine(Path.GetTempPath(), "fb-history-" + Guid.NewGuid().ToString("N"));
        string dll = Path.Combine(AppContext.BaseDirectory, "FunctionsBench.Embedded.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                dll, "run", "--connection", (await AzuriteFixture.EnsureAsync()).ConnectionString,
                "--scenarios", "df-activity", "--invocations", "20", "--mode", "single", "--out", output,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach ((string key, string value) in ShortFloorsFixture.Environment)
        {
            start.Environment[key] = value;
        }

        try
        {
            using Process process = Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"bench run exited {process.ExitCode}:\n{await stdout}\n{await stderr}");

            using JsonDocument results = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "results.json")));
            JsonElement check = results.RootElement.GetProperty("historyCheck");
            JsonElement activity = check.GetProperty("results")[0];
            JsonElement firstSample = results.RootElement.GetProperty("queueDepths")[0];
            string report = await File.ReadAllTextAsync(Path.Combine(output, "report.html"));

            Assert.True(check.GetProperty("available").GetBoolean(), check.GetProperty("notes").ToString());
            Assert.Equal("df-activity", activity.GetProperty("scenario").GetString());
            Assert.True(activity.GetProperty("matched").GetInt32() > 0, activity.ToString());
            Assert.Equal(4, activity.GetProperty("eventsPerInvocation").GetInt32());
            Assert.Equal(4.0, activity.GetProperty("measuredEventsPerInvocation").GetDouble());
            Assert.True(activity.GetProperty("endGapMs").GetProperty("median").GetDouble() >= 0);
            Assert.True(firstSample.TryGetProperty("t", out _) && firstSample.TryGetProperty("control", out _) && firstSample.TryGetProperty("workItems", out _));
            Assert.Contains("<h2>History cross-check</h2>", report);
            Assert.Contains("<h2>Queue depths</h2>", report);
            Assert.Contains("History cross-check", await stdout);

            // Every step of an activity call sends, receives and deletes a message on each of two queues and writes
            // History and Instances rows; the counted requests must show at least those.
            JsonElement requests = results.RootElement.GetProperty("storageRequests")[0];
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
            Assert.Contains("Storage requests per invocation", await stdout);
            JsonElement storage = results.RootElement.GetProperty("storage");
            Assert.True(storage.GetProperty("emulator").GetBoolean());
            Assert.Equal(JsonValueKind.Null, storage.GetProperty("azuriteMode").ValueKind);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsBench.BenchOrchestrator;

namespace FunctionsBench.Embedded.Tests;

/// <summary>
/// An embedded host whose runs measure short floors (<see cref="TestFloors.ShortUnitFloors"/>; the defaults take about
/// 14 s per run and 2 s per unit). Its runs skip the warm-up too (<c>warmup: 0</c>): what is checked is the units.
/// </summary>
public sealed class ShortFloorsFixture : EmbeddedHostFixture
{
    static ShortFloorsFixture() => TestFloors.SetInThisProcess(TestFloors.ShortUnitFloors);
}

/// <summary>
/// Every scenario end to end on the embedded host with Azurite, through the HTTP API a user calls: the results
/// document, and exactly N timing records per (scenario, N, repetition) read back from the timings entities.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestLane.Trait, TestLane.Full)]
public sealed class ScenarioEndToEndTests(ShortFloorsFixture fixture) : IClassFixture<ShortFloorsFixture>
{
    private static readonly string[] AllScenarios = [.. Scenarios.Defaults];

    [Theory]
    [InlineData("single", 1)]
    [InlineData("checkpointed", 1)]
    [InlineData("checkpointed", 3)]
    public async Task Run_EveryScenario_RecordsExactlyNEventsPerUnit(string mode, int parallelism)
    {
        var request = new { scenarios = AllScenarios, invocations = new[] { 3, 12 }, repetitions = 2, mode, checkpointEvery = 5, parallelism, warmup = 0 };

        (string id, JsonElement document) = await RunToCompletionAsync(request);

        JsonElement results = document.GetProperty("results");
        Assert.Equal(AllScenarios.Length * 2 * 2, results.GetArrayLength());
        foreach (JsonElement result in results.EnumerateArray())
        {
            Assert.Equal(result.GetProperty("invocations").GetInt32(), result.GetProperty("recorded").GetInt32());
            Assert.True(result.GetProperty("executionSeconds").GetDouble() > 0);
            Assert.True(result.GetProperty("eventsPerSecond").GetDouble() > 0);
        }

        using HttpResponseMessage eventsResponse = await fixture.Http.GetAsync($"api/bench/{id}/events?format=json");
        Assert.Equal(HttpStatusCode.OK, eventsResponse.StatusCode);
        JsonElement events = await eventsResponse.Content.ReadFromJsonAsync<JsonElement>();
        var units = events.EnumerateArray()
            .GroupBy(e => (Scenario: e.GetProperty("scenario").GetString()!, N: e.GetProperty("invocations").GetInt32(), Rep: e.GetProperty("repetition").GetInt32()))
            .ToDictionary(g => g.Key, g => g.Select(e => e.GetProperty("sequence").GetInt32()).Order().ToList());
        Assert.Equal(AllScenarios.Length * 2 * 2, units.Count);
        foreach (((string _, int n, int _), List<int> sequences) in units)
        {
            Assert.Equal(Enumerable.Range(0, n), sequences);
        }
    }

    [Fact]
    public async Task Run_Completed_ResultsDocumentHasTheContractFields()
    {
        (string id, JsonElement document) = await RunToCompletionAsync(new { scenarios = new[] { "df-activity", "statefun" }, invocations = new[] { 4 }, warmup = 0 });

        foreach (string field in new[] { "runId", "host", "storageProvider", "startedAt", "completedAt", "settings", "results", "summary", "floors" })
        {
            Assert.True(document.TryGetProperty(field, out _), $"results document lacks '{field}'");
        }

        Assert.Equal(id, document.GetProperty("runId").GetString());
        Assert.Equal("embedded", document.GetProperty("host").GetString());
        Assert.Equal("AzureStorage", document.GetProperty("storageProvider").GetString());
        // The fixture's host did not start the Azurite it uses, so the mode is not known; the settings are the host's.
        JsonElement storage = document.GetProperty("storage");
        Assert.Equal("devstoreaccount1", storage.GetProperty("account").GetString());
        Assert.True(storage.GetProperty("emulator").GetBoolean());
        Assert.Equal(JsonValueKind.Null, storage.GetProperty("azuriteMode").ValueKind);
        // What the extension applied: host.json's partitions and batch size, the fixture's 200 ms polling on top.
        using JsonDocument hostJson = JsonDocument.Parse(File.ReadAllText(fixture.Host.WebHost.HostJson.Path));
        JsonElement provider = hostJson.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("storageProvider");
        Assert.Equal(provider.GetProperty("partitionCount").GetInt32(), storage.GetProperty("partitionCount").GetInt32());
        Assert.Equal(provider.GetProperty("controlQueueBatchSize").GetInt32(), storage.GetProperty("controlQueueBatchSize").GetInt32());
        Assert.Equal(200, storage.GetProperty("maxQueuePollingIntervalMs").GetInt32());
        Assert.Equal("extension", storage.GetProperty("source").GetString());
        // The statefun unit's HTTP floor was measured in turns with its logins (4 logins: 4 chunks, 3 slices of 2 POSTs).
        JsonElement stateFun = document.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("scenario").GetString() == "statefun");
        Assert.Equal("turns", stateFun.GetProperty("floorSource").GetString());
        Assert.True(stateFun.GetProperty("floorRate").GetDouble() > 0);
        Assert.True(stateFun.GetProperty("efficiency").GetDouble() > 0);
        JsonElement result = document.GetProperty("results")[0];
        foreach (string field in new[] { "scenario", "invocations", "repetition", "eventsPerInvocation", "events", "executionSeconds", "eventsPerSecond", "invocationsPerSecond", "recorded", "latencyMs" })
        {
            Assert.True(result.TryGetProperty(field, out _), $"a result lacks '{field}'");
        }

        foreach (string field in new[] { "mean", "p50", "p90", "p99", "max" })
        {
            Assert.True(result.GetProperty("latencyMs").TryGetProperty(field, out _), $"latencyMs lacks '{field}'");
        }

        foreach (string field in new[] { "scenario", "invocations", "repetitions", "meanExecutionSeconds", "meanEventsPerSecond", "cv", "ci95" })
        {
            Assert.True(document.GetProperty("summary")[0].TryGetProperty(field, out _), $"a summary lacks '{field}'");
        }

        using HttpResponseMessage csv = await fixture.Http.GetAsync($"api/bench/{id}/events?format=csv");
        string[] lines = (await csv.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal(FunctionsBench.BenchOrchestrator.Csv.EventsCsv.Header, lines[0]);
        Assert.StartsWith(id + ",embedded,AzureStorage,", lines[1], StringComparison.Ordinal);
        Assert.Equal(1 + 8, lines.Length);
        using HttpResponseMessage report = await fixture.Http.GetAsync($"api/bench/{id}/report");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Contains("text/html", report.Content.Headers.ContentType!.ToString());
        Assert.Contains(id, await report.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{\"invocations\":[0]}", "invocations[0]")]
    [InlineData("{\"scenarios\":[\"df-activity\"],\"mode\":\"sometimes\"}", "mode")]
    [InlineData("{\"stateFunUrl\":\"http://192.0.2.1/statefun\"}", "stateFunUrl")]
    [InlineData("[]", "body")]
    public async Task StartRoute_BadInput_Returns400NamingTheFieldAndStartsNothing(string body, string field)
    {
        int before = await this.CountRunsAsync();

        using HttpResponseMessage response = await fixture.Http.PostAsync("api/bench", new StringContent(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal(before, await this.CountRunsAsync());
    }

    [Fact]
    public async Task RunCommand_SmallRun_WritesTheFourFiles()
    {
        using var output = new ScratchFolder("fb-run");
        BenchCliResult run = await BenchCli.RunAsync(
            ["run", "--connection", AzuriteFixture.ConnectionString, "--scenarios", "df-activity,statefun", "--invocations", "3", "--warmup", "0", "--out", output.Path],
            TestFloors.ShortUnitFloors,
            TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, $"bench run: {run}");
        foreach (string file in new[] { "results.json", "results.csv", "events.csv", "report.html" })
        {
            Assert.True(File.Exists(output.File(file)), $"{file} missing");
        }

        using JsonDocument results = JsonDocument.Parse(await File.ReadAllTextAsync(output.File("results.json")));
        Assert.Equal(2, results.RootElement.GetProperty("results").GetArrayLength());
        Assert.Equal(1 + 6, (await File.ReadAllLinesAsync(output.File("events.csv"))).Length);
    }

    private async Task<int> CountRunsAsync()
    {
        int count = 0;
        await foreach (var _ in fixture.Client.GetAllInstancesAsync(new Microsoft.DurableTask.Client.OrchestrationQuery()))
        {
            count++;
        }

        return count;
    }

    private async Task<(string Id, JsonElement Document)> RunToCompletionAsync(object request)
    {
        using HttpResponseMessage started = await fixture.Http.PostAsJsonAsync("api/bench", request);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        JsonElement payload = await started.Content.ReadFromJsonAsync<JsonElement>();
        string id = payload.GetProperty("id").GetString()!;
        var statusUri = new Uri(payload.GetProperty("statusQueryGetUri").GetString()!);

        var clock = Stopwatch.StartNew();
        while (true)
        {
            JsonElement status = await fixture.Http.GetFromJsonAsync<JsonElement>(statusUri);
            string runtimeStatus = status.GetProperty("runtimeStatus").GetString()!;
            if (runtimeStatus == "Completed")
            {
                return (id, status.GetProperty("output").Clone());
            }

            Assert.True(runtimeStatus is "Running" or "Pending", $"run {id} ended {runtimeStatus}: {status.GetProperty("output")}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4), $"run {id} did not finish in 4 minutes: {status.GetProperty("customStatus")}");
            await Task.Delay(250);
        }
    }
}

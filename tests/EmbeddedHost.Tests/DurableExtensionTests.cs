using System.Net;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using FunctionsBench.GreeterFunctions;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;

namespace FunctionsBench.Embedded.Tests;

/// <summary>
/// What the embedded host gets from the real Durable Functions extension: failures typed as the worker threw them,
/// entities read through the isolated client and the extension's HTTP API, host.json (and the flags on top) taking
/// effect, and host.defaults.json being the extension's own defaults.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestLane.Trait, TestLane.Full)]
public sealed class DurableExtensionTests(EmbeddedHostFixture fixture) : IClassFixture<EmbeddedHostFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ActivityFailure_ReachesTheOrchestratorWithItsExceptionTypeAndMessage()
    {
        string id = await fixture.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TestFunctions.CatchActivityFailure), "boom 42");

        OrchestrationMetadata done = await this.WaitAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal($"{typeof(InvalidOperationException).FullName}|boom 42", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task FailingOrchestrator_StatusUriAnswers200FailedWithTheFailure_And500WhenAsked()
    {
        string id = await fixture.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TestFunctions.Fail), "no way");
        OrchestrationMetadata done = await this.WaitAsync(id);

        using HttpResponseMessage response = await fixture.Http.GetAsync($"runtime/webhooks/durabletask/instances/{id}");
        using HttpResponseMessage asked = await fixture.Http.GetAsync($"runtime/webhooks/durabletask/instances/{id}?returnInternalServerErrorOnFailure=true");
        using JsonDocument status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        // The Azure Storage provider keeps the failure as the output, "{type}: {message}"; the client gets no failure details.
        Assert.Equal($"{typeof(InvalidOperationException).FullName}: no way", done.SerializedOutput);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, asked.StatusCode);
        Assert.Equal("Failed", status.RootElement.GetProperty("runtimeStatus").GetString());
        Assert.Contains("no way", status.RootElement.GetProperty("output").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entity_AfterFiveLogins_ReadsTheSameStateThroughTheClientAndTheExtensionsApi()
    {
        string key = "reader" + Guid.NewGuid().ToString("N")[..8];
        string id = await fixture.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(TestFunctions.LoginRepeatedly), new TestFunctions.LoginsRequest(key, 5, SignalFirst: true));
        OrchestrationMetadata done = await this.WaitAsync(id);

        EntityMetadata<GreeterState>? entity = await fixture.Client.Entities.GetEntityAsync<GreeterState>(new EntityInstanceId(nameof(GreeterEntity), key));
        using HttpResponseMessage response = await fixture.Http.GetAsync($"runtime/webhooks/durabletask/entities/{nameof(GreeterEntity)}/{key}");
        using JsonDocument state = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(6, done.ReadOutputAs<int>());
        Assert.NotNull(entity);
        Assert.Equal(6, entity.State.SeenCount);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(6, state.RootElement.GetProperty("seenCount").GetInt32());
    }

    [Fact]
    public async Task HostJson_PartitionCount3_GivesThreeControlQueuesAndAFlagOverridesIt()
    {
        string hostJson = WriteHostJson("""{ "version": "2.0", "extensions": { "durableTask": { "storageProvider": { "partitionCount": 3 } } } }""");
        try
        {
            await using (TestHost fromFile = await EmbeddedHostFixture.StartHostAsync("hj", o => o.HostJsonPath = hostJson))
            {
                Assert.Equal(3, fromFile.WebHost.Configuration.PartitionCount);
                Assert.Equal(3, await ControlQueuesAsync(fromFile.WebHost.TaskHubName));
            }

            await using TestHost overridden = await EmbeddedHostFixture.StartHostAsync("hj", o => { o.HostJsonPath = hostJson; o.PartitionCount = 2; });
            Assert.Equal(2, overridden.WebHost.Configuration.PartitionCount);
            Assert.Equal(2, await ControlQueuesAsync(overridden.WebHost.TaskHubName));
        }
        finally
        {
            File.Delete(hostJson);
        }
    }

    [Fact]
    public async Task HostDefaultsJson_StatesExactlyWhatTheExtensionAppliesWhenHostJsonSaysNothing()
    {
        string bare = WriteHostJson("""{ "version": "2.0" }""");
        string defaults = Path.Combine(RepositoryRoot(), "host.defaults.json");
        try
        {
            JsonElement applied;
            await using (TestHost untuned = await EmbeddedHostFixture.StartHostAsync("def", o => { o.HostJsonPath = bare; o.MaxQueuePollingInterval = null; }))
            {
                applied = untuned.WebHost.Configuration.Json;
            }

            using JsonDocument stated = JsonDocument.Parse(File.ReadAllText(defaults));
            JsonElement durable = stated.RootElement.GetProperty("extensions").GetProperty("durableTask");
            var mismatches = new List<string>();
            Compare(durable, applied, "durableTask", mismatches, skip: ["hubName", "type", "connectionName", "tracing"]);

            Assert.True(mismatches.Count == 0, "host.defaults.json differs from the extension's defaults: " + string.Join("; ", mismatches));
            Assert.False(applied.GetProperty("extendedSessionsEnabled").GetBoolean());
        }
        finally
        {
            File.Delete(bare);
        }
    }

    /// <summary>Every value stated in <paramref name="stated"/> must equal the applied one (time spans compared as time spans).</summary>
    private static void Compare(JsonElement stated, JsonElement applied, string path, List<string> mismatches, string[] skip)
    {
        foreach (JsonProperty property in stated.EnumerateObject().Where(p => !skip.Contains(p.Name)))
        {
            string at = $"{path}.{property.Name}";
            if (!applied.TryGetProperty(property.Name, out JsonElement value))
            {
                mismatches.Add($"{at} is not among the applied settings");
            }
            else if (property.Value.ValueKind == JsonValueKind.Object)
            {
                Compare(property.Value, value, at, mismatches, skip);
            }
            else if (!SameValue(property.Value, value))
            {
                mismatches.Add($"{at}: stated {property.Value.GetRawText()}, applied {value.GetRawText()}");
            }
        }
    }

    private static bool SameValue(JsonElement stated, JsonElement applied)
        => stated.ValueKind == JsonValueKind.String && applied.ValueKind == JsonValueKind.String
           && TimeSpan.TryParse(stated.GetString(), out TimeSpan a) && TimeSpan.TryParse(applied.GetString(), out TimeSpan b)
            ? a == b
            : stated.GetRawText() == applied.GetRawText();

    private static async Task<int> ControlQueuesAsync(string hub)
    {
        var queues = new QueueServiceClient(AzuriteFixture.ConnectionString);
        int count = 0;
        await foreach (QueueItem _ in queues.GetQueuesAsync(prefix: hub.ToLowerInvariant() + "-control-"))
        {
            count++;
        }

        return count;
    }

    private static string WriteHostJson(string content)
    {
        string path = Path.Combine(Path.GetTempPath(), $"functionsbench-host-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        return path;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FunctionsBench.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No FunctionsBench.sln above " + AppContext.BaseDirectory);
    }

    private async Task<OrchestrationMetadata> WaitAsync(string id)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await fixture.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
    }
}

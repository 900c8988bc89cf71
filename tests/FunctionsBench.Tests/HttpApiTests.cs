using System.Text;
using FunctionsBench.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace FunctionsBench.Tests;

public class HttpApiTests
{
    [Theory]
    [InlineData("{\"invocations\":[-1]}", "", "invocations[0]")]
    [InlineData("{\"scenarios\":[\"nope\"]}", "", "scenarios[0]")]
    [InlineData("{\"mode\":\"turbo\"}", "", "mode")]
    [InlineData("not json", "", "body")]
    [InlineData("{}", "?invocations=5", "invocations")]
    [InlineData("{\"stateFunUrl\":\"http://10.0.0.1/x\"}", "", "stateFunUrl")]
    public async Task Start_BadInput_Answers400WithFieldAndStartsNothing(string body, string query, string field)
    {
        var client = new RecordingClient();
        DefaultHttpContext http = Request("POST", "/api/bench", query, body);

        await BenchHttpApi.StartAsync(http, client, new TestHost());

        Assert.Equal(400, http.Response.StatusCode);
        JsonElement error = ReadJson(http);
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("error").GetString()));
        Assert.Empty(client.Scheduled);
    }

    [Fact]
    public async Task Start_OversizedBody_Answers400AndStartsNothing()
    {
        var client = new RecordingClient();
        DefaultHttpContext http = Request("POST", "/api/bench", "", new string(' ', BenchLimits.MaxBodyBytes + 1));

        await BenchHttpApi.StartAsync(http, client, new TestHost());

        Assert.Equal(400, http.Response.StatusCode);
        Assert.Equal("body", ReadJson(http).GetProperty("field").GetString());
        Assert.Empty(client.Scheduled);
    }

    [Fact]
    public async Task Start_ValidBody_Answers202WithCheckStatusPayloadAndStartsTheControlOrchestration()
    {
        var client = new RecordingClient();
        DefaultHttpContext http = Request("POST", "/api/bench", "?code=k3y", "{\"invocations\":[10],\"scenarios\":[\"statefun\"]}");

        await BenchHttpApi.StartAsync(http, client, new TestHost());

        Assert.Equal(202, http.Response.StatusCode);
        (string name, object? input, string id) = Assert.Single(client.Scheduled);
        Assert.Equal(nameof(BenchControlOrchestration), name);
        BenchRun run = Assert.IsType<BenchRun>(input);
        Assert.Equal(id, run.RunId);
        Assert.Equal(("test-host", "TestProvider"), (run.Host, run.StorageProvider));
        // The key the run was started with reaches the StateFun driver as a header, never the results' settings.
        Assert.Equal("http://127.0.0.1:7071/api/statefun/{function.name}", run.Settings.StateFunUrl);
        Assert.Equal("k3y", run.StateFunKey);
        Assert.Equal(("http://127.0.0.1:7071/api/noop", "k3y", true), (run.NoopUrl, run.HostKey, run.StateFunOnThisHost));
        Assert.Equal(StorageSetup.Unknown, run.Storage);
        JsonElement payload = ReadJson(http);
        Assert.Equal(id, payload.GetProperty("id").GetString());
        foreach (string uri in new[] { "statusQueryGetUri", "sendEventPostUri", "terminatePostUri", "purgeHistoryDeleteUri" })
        {
            Assert.StartsWith("http://status/", payload.GetProperty(uri).GetString());
        }

        Assert.Equal(payload.GetProperty("statusQueryGetUri").GetString(), http.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task Events_BadFormat_Answers400NamingFormat()
    {
        DefaultHttpContext http = Request("GET", "/api/bench/x/events", "?format=xml", "");

        await BenchHttpApi.GetEventsAsync(http, new RecordingClient(), "x");

        Assert.Equal(400, http.Response.StatusCode);
        Assert.Equal("format", ReadJson(http).GetProperty("field").GetString());
        http.Response.Body.Position = 0;
        Assert.Contains("\"'format' must be csv or json\"", new StreamReader(http.Response.Body).ReadToEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_UnknownRun_Answers404()
    {
        DefaultHttpContext http = Request("GET", "/api/bench/missing", "", "");

        await BenchHttpApi.GetResultsAsync(http, new RecordingClient(), "missing");

        Assert.Equal(404, http.Response.StatusCode);
    }

    private static DefaultHttpContext Request(string method, string path, string query, string body)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("127.0.0.1:7071");
        http.Request.Path = path;
        http.Request.QueryString = new QueryString(query);
        http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        http.Response.Body = new MemoryStream();
        return http;
    }

    private static JsonElement ReadJson(HttpContext http)
    {
        http.Response.Body.Position = 0;
        using JsonDocument document = JsonDocument.Parse(http.Response.Body);
        return document.RootElement.Clone();
    }

    private sealed class TestHost : IBenchHost
    {
        public string HostName => "test-host";

        public string StorageProvider => "TestProvider";

        public HttpManagementUris CreateManagementUris(HttpRequest request, string instanceId)
            => new(instanceId, $"http://status/{instanceId}", $"http://status/{instanceId}/raiseEvent", $"http://status/{instanceId}/terminate", $"http://status/{instanceId}/purge");
    }

    /// <summary>A client that records what would be started and knows no instances; nothing else is expected of it.</summary>
    private sealed class RecordingClient() : DurableTaskClient("recording")
    {
        public List<(string Name, object? Input, string Id)> Scheduled { get; } = [];

        public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
        {
            string id = options?.InstanceId ?? Guid.NewGuid().ToString("N");
            this.Scheduled.Add((orchestratorName.Name, input, id));
            return Task.FromResult(id);
        }

        public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
            => Task.FromResult<OrchestrationMetadata?>(null);

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw new NotSupportedException();

        public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData("http://127.0.0.1:7071/api/statefun/{function.name}?code=k3y", "http://127.0.0.1:7071/api/statefun/{function.name}", "k3y")]
    [InlineData("http://h/api/statefun/{function.name}?a=1&code=k%2B3&b=2", "http://h/api/statefun/{function.name}?a=1&b=2", "k+3")]
    [InlineData("http://h/api/statefun/{function.name}?CODE=x#frag", "http://h/api/statefun/{function.name}#frag", "x")]
    [InlineData("http://h/api/statefun/{function.name}?a=1", "http://h/api/statefun/{function.name}?a=1", null)]
    [InlineData("http://h/api/statefun/{function.name}?code=", "http://h/api/statefun/{function.name}", null)]
    [InlineData("http://h/greeter", "http://h/greeter", null)]
    public void SplitFunctionKey_TakesTheCodeParameterOutOfTheUrl(string url, string expectedUrl, string? expectedKey)
    {
        Assert.Equal((expectedUrl, expectedKey), HostUrls.SplitFunctionKey(url));
    }
}

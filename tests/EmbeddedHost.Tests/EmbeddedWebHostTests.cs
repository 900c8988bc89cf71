using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsBench.Embedded.Web;
using Microsoft.DurableTask.Client;

namespace FunctionsBench.Embedded.Tests;

[Collection(AzuriteCollection.Name)]
[Trait(TestLane.Trait, TestLane.Full)]
public sealed class EmbeddedWebHostTests(EmbeddedHostFixture fixture) : IClassFixture<EmbeddedHostFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task StartGreeter_ValidName_Returns202WithDurableFunctionsCheckStatusPayload()
    {
        using HttpResponseMessage response = await this.Http.PostAsync("api/greeter/Ada", null);
        using JsonDocument payload = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement root = payload.RootElement;
        string id = root.GetProperty("id").GetString()!;
        // As an isolated worker builds them under `func start`: the extension's webhook base and its query (here the task
        // hub alone, as the Functions host names it, the host having no key; see CheckStatusPayload_WithApiKey_CarriesTheKey).
        string instance = $"{fixture.BaseAddress}runtime/webhooks/durabletask/instances/{id}", query = $"taskHub={fixture.Host.WebHost.TaskHubName}";

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"{instance}?{query}", root.GetProperty("statusQueryGetUri").GetString());
        Assert.Equal($"{instance}/raiseEvent/{{eventName}}?{query}", root.GetProperty("sendEventPostUri").GetString());
        Assert.Equal($"{instance}/terminate?reason={{text}}&{query}", root.GetProperty("terminatePostUri").GetString());
        Assert.Equal($"{instance}?{query}", root.GetProperty("purgeHistoryDeleteUri").GetString());
        Assert.Equal(new Uri($"{instance}?{query}"), response.Headers.Location);
        await fixture.Client.WaitForInstanceCompletionAsync(id);
    }

    [Fact]
    public async Task StatusRoute_CompletedInstance_ReturnsDurableFunctionsShape()
    {
        string id = await fixture.Client.ScheduleNewOrchestrationInstanceAsync(nameof(GreeterFunctions.GreeterOrchestration), "Ada");
        await fixture.Client.WaitForInstanceCompletionAsync(id);

        using HttpResponseMessage response = await this.Http.GetAsync($"runtime/webhooks/durabletask/instances/{id}");
        using JsonDocument status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement root = status.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(nameof(GreeterFunctions.GreeterOrchestration), root.GetProperty("name").GetString());
        Assert.Equal(id, root.GetProperty("instanceId").GetString());
        Assert.Equal("Completed", root.GetProperty("runtimeStatus").GetString());
        Assert.Equal("Ada", root.GetProperty("input").GetString());
        Assert.Equal("Hello Ada!", root.GetProperty("output").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("customStatus").ValueKind);
        Assert.True(DateTime.TryParse(root.GetProperty("createdTime").GetString(), out _));
        Assert.True(DateTime.TryParse(root.GetProperty("lastUpdatedTime").GetString(), out _));
    }

    [Fact]
    public async Task StatusRoute_RunningInstance_Returns202WithCustomStatus()
    {
        string id = await this.StartWaitingAsync();

        using HttpResponseMessage response = await this.Http.GetAsync($"runtime/webhooks/durabletask/instances/{id}");
        using JsonDocument status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("Running", status.RootElement.GetProperty("runtimeStatus").GetString());
        Assert.Equal("waiting", status.RootElement.GetProperty("customStatus").GetString());
        await fixture.Client.TerminateInstanceAsync(id);
        await fixture.Client.WaitForInstanceCompletionAsync(id);
    }

    [Theory]
    [InlineData("GET", "runtime/webhooks/durabletask/instances/no-such-instance")]
    [InlineData("DELETE", "runtime/webhooks/durabletask/instances/no-such-instance")]
    [InlineData("GET", "api/bench/no-such-run")]
    public async Task InstanceRoutes_UnknownInstanceOrRun_Return404(string method, string path)
    {
        using HttpResponseMessage response = await this.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task RaiseEventRoute_WaitingInstance_Returns202AndDeliversPayload()
    {
        string id = await this.StartWaitingAsync();

        using HttpResponseMessage response = await this.Http.PostAsJsonAsync($"runtime/webhooks/durabletask/instances/{id}/raiseEvent/{TestFunctions.ApprovalEvent}", "by http");
        OrchestrationMetadata done = await this.WaitForCompletionAsync(id);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("approved: by http", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task RaiseEventRoute_UnknownInstance_Returns404()
    {
        using HttpResponseMessage response = await this.Http.PostAsJsonAsync("runtime/webhooks/durabletask/instances/no-such-instance/raiseEvent/x", "payload");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TerminateRoute_RunningInstance_Returns202AndTerminates()
    {
        string id = await this.StartWaitingAsync();

        using HttpResponseMessage response = await this.Http.PostAsync($"runtime/webhooks/durabletask/instances/{id}/terminate?reason=stop", null);
        OrchestrationMetadata done = await this.WaitForCompletionAsync(id);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        // The extension stores the reason as the output, as it is (not as a JSON string).
        Assert.Equal("stop", done.SerializedOutput);
    }

    [Fact]
    public async Task TerminateRoute_CompletedInstance_Returns410()
    {
        string id = await fixture.Client.ScheduleNewOrchestrationInstanceAsync(nameof(GreeterFunctions.GreeterOrchestration), "Ada");
        await this.WaitForCompletionAsync(id);

        using HttpResponseMessage response = await this.Http.PostAsync($"runtime/webhooks/durabletask/instances/{id}/terminate?reason=late", null);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
    }

    [Fact]
    public async Task PurgeRoute_CompletedInstance_DeletesIt()
    {
        string id = await fixture.Client.ScheduleNewOrchestrationInstanceAsync(nameof(GreeterFunctions.GreeterOrchestration), "Ada");
        await this.WaitForCompletionAsync(id);

        using HttpResponseMessage response = await this.Http.DeleteAsync($"runtime/webhooks/durabletask/instances/{id}");
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, body.RootElement.GetProperty("instancesDeleted").GetInt32());
        Assert.Null(await fixture.Client.GetInstanceAsync(id));
    }

    [Fact]
    public async Task StateFunRoute_Get_IsAnsweredByTheEndpointNotTheRouter()
    {
        using HttpResponseMessage response = await this.Http.GetAsync("api/statefun/greeter.fns/user");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private async Task<string> StartWaitingAsync()
    {
        string id = await fixture.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TestFunctions.WaitForApproval), "input");
        using var timeout = new CancellationTokenSource(Timeout);
        while ((await fixture.Client.GetInstanceAsync(id, getInputsAndOutputs: true, timeout.Token))?.SerializedCustomStatus is null)
        {
            await Task.Delay(50, timeout.Token);
        }

        return id;
    }

    private async Task<OrchestrationMetadata> WaitForCompletionAsync(string id)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await fixture.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
    }
}

[Collection(AzuriteCollection.Name)]
[Trait(TestLane.Trait, TestLane.Full)]
public sealed class FunctionKeyTests
{
    [Fact]
    public async Task Routes_WithApiKey_RequireTheKeyInHeaderOrQuery()
    {
        await using TestHost host = await EmbeddedHostFixture.StartHostAsync("key", web: new EmbeddedWebHostOptions { Port = 0, ApiKey = "s3cret" });
        const string Path = "runtime/webhooks/durabletask/instances/no-such-instance";

        using HttpResponseMessage without = await host.Http.GetAsync(Path);
        using HttpResponseMessage wrong = await host.Http.GetAsync(Path + "?code=guess");
        using HttpResponseMessage query = await host.Http.GetAsync(Path + "?code=s3cret");
        using var request = new HttpRequestMessage(HttpMethod.Get, Path);
        request.Headers.Add("x-functions-key", "s3cret");
        using HttpResponseMessage header = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, query.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, header.StatusCode);
    }

    [Fact]
    public async Task CheckStatusPayload_WithApiKey_CarriesTheKey()
    {
        await using TestHost host = await EmbeddedHostFixture.StartHostAsync("key", web: new EmbeddedWebHostOptions { Port = 0, ApiKey = "s3cret" });

        using HttpResponseMessage response = await host.Http.PostAsync("api/greeter/Ada?code=s3cret", null);
        using JsonDocument payload = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.EndsWith("&code=s3cret", payload.RootElement.GetProperty("statusQueryGetUri").GetString());
        await host.Client.WaitForInstanceCompletionAsync(payload.RootElement.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task Bench_WithApiKey_DriverAndHttpFloorSendTheKeyAndTheResultsNeverHoldIt()
    {
        TestFloors.SetInThisProcess();

        await using TestHost host = await EmbeddedHostFixture.StartHostAsync("key", web: new EmbeddedWebHostOptions { Port = 0, ApiKey = "s3cret" });

        using HttpResponseMessage response = await host.Http.PostAsync(
            "api/bench?code=s3cret", new StringContent("{\"scenarios\":[\"statefun\"],\"invocations\":[3],\"warmup\":0}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        string id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        OrchestrationMetadata run = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        using HttpResponseMessage results = await host.Http.GetAsync($"api/bench/{id}?code=s3cret");
        string document = await results.Content.ReadAsStringAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        using JsonDocument parsed = JsonDocument.Parse(document);
        JsonElement floors = parsed.RootElement.GetProperty("floors");
        Assert.True(floors.GetProperty("httpError").ValueKind == JsonValueKind.Null, floors.ToString());
        Assert.Equal(3, parsed.RootElement.GetProperty("results")[0].GetProperty("recorded").GetInt32());
        Assert.EndsWith("/api/statefun/{function.name}", parsed.RootElement.GetProperty("settings").GetProperty("stateFunUrl").GetString());
        Assert.DoesNotContain("s3cret", document);
    }
}

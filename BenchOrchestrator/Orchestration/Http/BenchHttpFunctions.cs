using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FunctionsBench.Http;

/// <summary>
/// The Functions host's HTTP triggers: thin adapters onto <see cref="BenchHttpApi"/>. The status URI
/// (<c>/runtime/webhooks/durabletask/instances/{id}</c>) is served by the Durable Functions extension itself.
/// </summary>
public sealed class BenchHttpFunctions(IOptions<BenchOptions> options, IConfiguration configuration)
{
    /// <summary><c>POST /api/bench</c>.</summary>
    [Function("StartBench")]
    public async Task<IActionResult> StartBench(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = BenchRoutes.Bench)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
        => await Written(BenchHttpApi.StartAsync(request.HttpContext, client, await this.HostFor(client, context)));

    /// <summary><c>POST /api/greeter/{name}</c>: one greeter orchestration, the Durable Functions tutorial's HTTP starter.</summary>
    [Function("StartGreeter")]
    public async Task<IActionResult> StartGreeter(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = BenchRoutes.Greeter)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        FunctionContext context,
        string name)
        => await Written(BenchHttpApi.StartGreeterAsync(request.HttpContext, client, await this.HostFor(client, context), name));

    /// <summary><c>GET /api/bench/{id}</c>.</summary>
    [Function("GetBenchResults")]
    public Task<IActionResult> GetBenchResults(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = BenchRoutes.Results)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id)
        => Written(BenchHttpApi.GetResultsAsync(request.HttpContext, client, id));

    /// <summary><c>GET /api/bench/{id}/events?format=csv|json</c>.</summary>
    [Function("GetBenchEvents")]
    public Task<IActionResult> GetBenchEvents(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = BenchRoutes.Events)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id)
        => Written(BenchHttpApi.GetEventsAsync(request.HttpContext, client, id));

    /// <summary><c>GET /api/bench/{id}/report</c>.</summary>
    [Function("GetBenchReport")]
    public Task<IActionResult> GetBenchReport(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = BenchRoutes.Report)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id)
        => Written(BenchHttpApi.GetReportAsync(request.HttpContext, client, id));

    /// <summary><c>POST /api/noop</c>: the HTTP floor's target, beside the StateFun endpoint.</summary>
    [Function("Noop")]
    public Task<IActionResult> Noop(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = BenchRoutes.Noop)] HttpRequest request)
        => Written(BenchHttpApi.NoopAsync(request.HttpContext));

    /// <summary>The handlers write the whole response themselves; the trigger returns an empty result once they are done.</summary>
    private static async Task<IActionResult> Written(Task handler)
    {
        await handler;
        return new EmptyResult();
    }

    private async Task<IBenchHost> HostFor(DurableTaskClient client, FunctionContext context)
    {
        HttpRequestData requestData = await context.GetHttpRequestDataAsync()
            ?? throw new InvalidOperationException("An HTTP trigger without request data.");
        return new FunctionsBenchHost(client, requestData, options.Value.Limits, StorageProviderSetting.ReadSetup(configuration, options.Value.AzuriteMode));
    }
}

/// <summary>The Functions host as the HTTP API sees it: management URIs come from the Durable Functions extension.</summary>
internal sealed class FunctionsBenchHost(
    DurableTaskClient client, HttpRequestData requestData, BenchOrchestrator.BenchLimits limits, BenchOrchestrator.StorageSetup storage) : IBenchHost
{
    public string HostName => "functions";

    public string StorageProvider => StorageProviderSetting.Read();

    public BenchOrchestrator.BenchLimits Limits => limits;

    public BenchOrchestrator.StorageSetup Storage => storage;

    /// <summary>What the worker can see of the machine, its versions, the extension the host loaded, host.json and the commit.</summary>
    public BenchOrchestrator.RunEnvironment? Environment => Hosting.WorkerEnvironment.Value;

    public HttpManagementUris CreateManagementUris(HttpRequest request, string instanceId)
    {
        HttpManagementPayload payload = client.CreateHttpManagementPayload(instanceId, requestData);
        return new HttpManagementUris(
            payload.Id ?? instanceId, payload.StatusQueryGetUri ?? string.Empty, payload.SendEventPostUri ?? string.Empty,
            payload.TerminatePostUri ?? string.Empty, payload.PurgeHistoryDeleteUri ?? string.Empty);
    }
}

using FunctionsBench.BenchOrchestrator;
using FunctionsBench.Hosting;
using FunctionsBench.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FunctionsBench.Embedded.Web;

/// <summary>The embedded host as the shared HTTP API sees it; its management URIs have the Durable Functions shape.</summary>
internal sealed class EmbeddedBenchHost(EmbeddedDurableHost durableHost, IOptions<BenchOptions> benchOptions, EmbeddedWebHostOptions webOptions) : IBenchHost
{
    /// <summary>The management routes' prefix, the Durable Functions extension's.</summary>
    public const string InstancesPath = "/runtime/webhooks/durabletask/instances";

    /// <inheritdoc/>
    public string HostName => "embedded";

    /// <inheritdoc/>
    public string StorageProvider => "AzureStorage";

    /// <inheritdoc/>
    public StorageSetup Storage => durableHost.Options.DescribeStorage();

    /// <inheritdoc/>
    public BenchLimits Limits => benchOptions.Value.Limits;

    /// <inheritdoc/>
    public HttpManagementUris CreateManagementUris(HttpRequest request, string instanceId)
    {
        string instance = $"{request.Scheme}://{request.Host}{request.PathBase}{InstancesPath}/{Uri.EscapeDataString(instanceId)}";
        string query = $"taskHub={Uri.EscapeDataString(durableHost.Options.TaskHubName)}&connection=Storage";
        if (webOptions.ApiKey is { Length: > 0 } key)
        {
            query += "&code=" + Uri.EscapeDataString(key);
        }

        // {eventName} and {text} are placeholders for the caller, exactly as Durable Functions writes them.
        return new HttpManagementUris(
            instanceId,
            $"{instance}?{query}",
            $"{instance}/raiseEvent/{{eventName}}?{query}",
            $"{instance}/terminate?reason={{text}}&{query}",
            $"{instance}?{query}");
    }
}

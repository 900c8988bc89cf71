using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.Azure.WebJobs.Host.Config;

namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// Every place where the embedded host leans on how the Durable Functions extension (3.18) and the libraries under it
/// behave inside, rather than on what they document: an upgrade breaks here first. Each hook has a contract test
/// (<c>ExtensionInternalsContractTests</c>, fast lane) that fails, naming the hook, when the behaviour it relies on
/// changes.
/// </summary>
public static class ExtensionInternals
{
    /// <summary>
    /// Hook <c>TriggerAttributes</c> (emitted function types): the Functions host binds a worker's functions by generating
    /// a type from their metadata; here <see cref="WebJobsFunctionTypes"/> emits one whose methods carry these
    /// attributes on a <c>string</c> parameter. Relies on: each attribute has a parameterless constructor, applies to
    /// parameters, and (in the isolated-worker protocol) binds the trigger's payload as text.
    /// </summary>
    /// <param name="kind">The kind of durable function.</param>
    /// <returns>The trigger attribute the extension binds for <paramref name="kind"/>.</returns>
    public static Type TriggerAttribute(DurableFunctionKind kind) => kind switch
    {
        DurableFunctionKind.Orchestrator => typeof(OrchestrationTriggerAttribute),
        DurableFunctionKind.Entity => typeof(EntityTriggerAttribute),
        DurableFunctionKind.Activity => typeof(ActivityTriggerAttribute),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown durable function kind."),
    };

    /// <summary>
    /// Hook <c>ClientAttribute</c> (emitted function types): the attribute of the emitted function that receives the
    /// client binding, whose <c>string</c> value is what an isolated worker's <c>[DurableClient]</c> receives (task hub,
    /// gRPC endpoint, management URLs' query string).
    /// </summary>
    public static Type ClientAttribute => typeof(DurableClientAttribute);

    /// <summary>
    /// Hook <c>WebhookProvider</c>: the extension learns the base URL of its management API from the obsolete
    /// <c>IWebHookProvider</c> the Functions host registers; <paramref name="url"/> gives it here, once the web server
    /// listens. Relies on: the extension's constructor takes an <c>IWebHookProvider</c> and calls <c>GetUrl</c>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="url">Made once from the services; called whenever the extension asks for its webhook URL.</param>
    public static void AddWebhookUrl(IServiceCollection services, Func<IServiceProvider, Func<Uri>> url)
    {
        ArgumentNullException.ThrowIfNull(url);
#pragma warning disable CS0618 // IWebHookProvider is obsolete, but it is how the extension learns its webhook URL.
        services.AddSingleton<IWebHookProvider>(sp => new WebhookProvider(url(sp)));
#pragma warning restore CS0618
    }

    /// <summary>
    /// Hook <c>ConsumptionPlanSetting</c>: the app setting from which the extension concludes it runs on Linux
    /// Consumption (concurrency limits of 5-10 and a console line per event). Some machines set it in the environment;
    /// <see cref="NotAConsumptionPlan"/> clears it, as this process is no such plan.
    /// </summary>
    public const string ConsumptionPlanSetting = "CONTAINER_NAME";

    /// <summary>The settings, added after the environment, that keep the extension from taking this process for a Consumption plan.</summary>
    public static IReadOnlyDictionary<string, string?> NotAConsumptionPlan { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
    {
        [ConsumptionPlanSetting] = string.Empty,
    };

    /// <summary>
    /// Hook <c>StorageTransport</c>: a process-wide swap of the HTTP transport every Azure SDK client takes by default
    /// (<see cref="ClientOptions.Default"/>), so the storage clients the extension and its provider build inside send
    /// through <paramref name="handler"/>. Relies on: client options made after the swap start from the default's transport,
    /// and the provider does not set a transport of its own. Call once per process.
    /// </summary>
    /// <param name="handler">The handler every later Azure SDK client sends through.</param>
    public static void SwapStorageTransport(HttpMessageHandler handler)
        => ClientOptions.Default.Transport = new HttpClientTransport(handler);

#pragma warning disable CS0618 // see AddWebhookUrl
    private sealed class WebhookProvider(Func<Uri> url) : IWebHookProvider
#pragma warning restore CS0618
    {
        public Uri GetUrl(IExtensionConfigProvider extension) => url();
    }
}

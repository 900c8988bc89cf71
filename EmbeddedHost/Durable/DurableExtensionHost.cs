using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Grpc.Net.Client;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.Azure.WebJobs.Host.Config;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;

namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// The Durable Functions extension (<c>Microsoft.Azure.WebJobs.Extensions.DurableTask</c>, the host side that
/// <c>func start</c> loads) on the WebJobs SDK in this process, in the protocol it speaks with .NET isolated workers:
/// the extension owns the task hub, the storage provider, its settings (host.json), its management HTTP API and its
/// local gRPC endpoint; the app's durable functions run through <see cref="DurableFunctionInvoker"/>.
/// </summary>
public static class DurableExtensionHost
{
    /// <summary>The path below the host's base address where the extension serves its management API.</summary>
    public const string WebhookPath = "/runtime/webhooks/durabletask";

    /// <summary>The app setting that names the task hub's storage account.</summary>
    public const string StorageSetting = "AzureWebJobsStorage";

    /// <summary>
    /// Adds the extension, its configuration and the app's durable functions to <paramref name="host"/>.
    /// </summary>
    /// <param name="host">The application being built.</param>
    /// <param name="configuration">The application's configuration; host.json keys, the overrides and the fixed settings are added to it.</param>
    /// <param name="options">Storage, host.json and overrides.</param>
    /// <param name="hostJson">The loaded host.json.</param>
    /// <param name="functions">The durable functions to bind.</param>
    /// <param name="requests">The storage request log, started before any storage client is made.</param>
    public static void Add(
        IHostBuilder host, IConfigurationBuilder configuration, EmbeddedHostOptions options, HostJsonSettings hostJson, IReadOnlyList<DurableFunctionEntry> functions, StorageRequestLog requests)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hostJson);
        host.ConfigureWebJobs(webJobs => webJobs.AddDurableTask());

        // Sources added later win: host.json, then app settings that override its keys, then the command line, then what
        // makes this process an isolated-worker host. Added after ConfigureWebJobs, which adds the environment again.
        IConfiguration appSettings = configuration.Build();
        configuration.AddInMemoryCollection(hostJson.ExtensionSettings);
        configuration.AddInMemoryCollection(HostJsonSettings.Overrides(appSettings));
        configuration.AddInMemoryCollection(options.Overrides());
        configuration.AddInMemoryCollection(FixedSettings(options.ConnectionString));

        host.ConfigureServices(services =>
        {
            var dataConverter = new JsonDataConverter(BenchJson.Options);
            services.AddSingleton<WebhookAddress>();
            ExtensionInternals.AddWebhookUrl(services, sp => sp.GetRequiredService<WebhookAddress>().Url);

            // What an isolated worker's ConfigureDurableExtension registers: the runners take the shim factory from the
            // services, and entities need entity support in it.
            services.AddSingleton(sp => new DurableTaskShimFactory(
                new DurableTaskWorkerOptions { DataConverter = dataConverter, EnableEntitySupport = true }, sp.GetRequiredService<ILoggerFactory>()));
            services.AddSingleton(sp => new DurableFunctionInvoker(functions, sp, dataConverter));
            services.AddSingleton<ITypeLocator>(sp => new GeneratedTypes(WebJobsFunctionTypes.Create(functions, sp.GetRequiredService<DurableFunctionInvoker>())));
            services.AddSingleton(requests);
            services.AddHostedService<StorageOutageMonitor>();
            services.AddSingleton(sp => new DurableClientHolder(sp, dataConverter));
            services.AddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<DurableClientHolder>().Client);
        });
    }

    /// <summary>The extension instance of a built host.</summary>
    public static DurableTaskExtension Extension(IServiceProvider services)
        => services.GetServices<IExtensionConfigProvider>().OfType<DurableTaskExtension>().Single();

    /// <summary>Tells the extension where its management API is served (before the host starts).</summary>
    public static void SetWebhookAddress(IServiceProvider services, Uri baseAddress, string? functionKey)
        => services.GetRequiredService<WebhookAddress>().Set(baseAddress, functionKey);

    /// <summary>Connects the isolated-worker client (from the extension's client binding) of a started host.</summary>
    public static Task ConnectAsync(IServiceProvider services, CancellationToken cancellationToken)
        => services.GetRequiredService<DurableClientHolder>().ConnectAsync(cancellationToken);

    /// <summary>The client binding's payload (what an isolated worker's <c>[DurableClient]</c> receives).</summary>
    public static DurableClientInfo ClientInfo(IServiceProvider services) => services.GetRequiredService<DurableClientHolder>().Info;

    /// <summary>The blob, queue and table endpoints of the account <paramref name="connectionString"/> names.</summary>
    public static IReadOnlyDictionary<string, Uri> Endpoints(string connectionString) => new Dictionary<string, Uri>(StringComparer.Ordinal)
    {
        ["blob"] = new BlobServiceClient(connectionString).Uri,
        ["queue"] = new QueueServiceClient(connectionString).Uri,
        ["table"] = new TableServiceClient(connectionString).Uri,
    };

    /// <summary>The settings that make this process what the Functions host is for an isolated .NET worker.</summary>
    private static Dictionary<string, string?> FixedSettings(string connectionString) => new(StringComparer.OrdinalIgnoreCase)
    {
        [StorageSetting] = connectionString,

        // The extension speaks the isolated-worker protocol (OutOfProcProtocol.MiddlewarePassthrough) for this runtime.
        ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",

        // Some machines set CONTAINER_NAME, from which the extension concludes it runs on Linux Consumption (concurrency
        // limits of 5-10 and a console line per event); this process is no such plan.
        [ExtensionInternals.ConsumptionPlanSetting] = ExtensionInternals.NotAConsumptionPlan[ExtensionInternals.ConsumptionPlanSetting],

        // The extension names its worker "{stamp}:{role instance}" when both are set, else after the machine. Two hosts on
        // one machine that share a task hub must not share a name, or each takes the other's partition leases for its own.
        // (PartitionTable.WorkerName reads the name back.)
        ["WEBSITE_CURRENT_STAMPNAME"] = Environment.MachineName,
        ["RoleInstanceId"] = string.Create(CultureInfo.InvariantCulture, $"pid{Environment.ProcessId}"),
    };

    /// <summary>WebJobs indexes exactly the generated type.</summary>
    private sealed class GeneratedTypes(Type type) : ITypeLocator
    {
        public IReadOnlyList<Type> GetTypes() => [type];
    }

    /// <summary>
    /// The base URL of the extension's management API, known once the web server listens (the Functions host gives its
    /// own, with the extension's system key as <c>code</c>; here the function key, when there is one).
    /// </summary>
    private sealed class WebhookAddress
    {
        private Uri? url;

        public void Set(Uri baseAddress, string? functionKey)
        {
            var builder = new UriBuilder(new Uri(baseAddress, WebhookPath.TrimStart('/')));
            if (functionKey is { Length: > 0 })
            {
                builder.Query = "code=" + Uri.EscapeDataString(functionKey);
            }

            this.url = builder.Uri;
        }

        /// <summary>What the extension's webhook provider answers (<see cref="ExtensionInternals.AddWebhookUrl"/>).</summary>
        public Uri Url()
            => this.url ?? throw new InvalidOperationException("The extension asked for its webhook URL before the host set it.");
    }

    /// <summary>The isolated-worker client, made from the extension's client binding as the worker's binding converter makes it.</summary>
    private sealed class DurableClientHolder(IServiceProvider services, DataConverter dataConverter) : IAsyncDisposable
    {
        private DurableTaskClient? client;
        private GrpcChannel? channel;
        private DurableClientInfo? info;

        public DurableTaskClient Client => this.client ?? throw new InvalidOperationException("The durable client is not connected yet.");

        public DurableClientInfo Info => this.info ?? throw new InvalidOperationException("The durable client is not connected yet.");

        public async Task ConnectAsync(CancellationToken cancellationToken)
        {
            await services.GetRequiredService<IJobHost>().CallAsync(WebJobsFunctionTypes.ClientInfoFunction, cancellationToken: cancellationToken);
            string json = await services.GetRequiredService<DurableFunctionInvoker>().ClientInfo.WaitAsync(cancellationToken);
            this.info = DurableClientInfo.Parse(json);

            // The worker sends the task hub and connection of its binding as headers on every call.
            var http = new HttpClient();
            http.DefaultRequestHeaders.Add("Durable-TaskHub", this.info.TaskHubName);
            if (this.info.ConnectionName is { Length: > 0 } connection)
            {
                http.DefaultRequestHeaders.Add("Durable-ConnectionName", connection);
            }

            this.channel = GrpcChannel.ForAddress(this.info.RpcBaseUrl, new GrpcChannelOptions { HttpClient = http, DisposeHttpClient = true });
            this.client = new GrpcDurableTaskClient(
                this.info.TaskHubName,
                new GrpcDurableTaskClientOptions { Channel = this.channel, DataConverter = dataConverter, EnableEntitySupport = true },
                services.GetRequiredService<ILoggerFactory>().CreateLogger<GrpcDurableTaskClient>());
        }

        public async ValueTask DisposeAsync()
        {
            if (this.client is not null)
            {
                await this.client.DisposeAsync();
            }

            this.channel?.Dispose();
        }
    }
}

/// <summary>The payload of the extension's client binding for an isolated worker.</summary>
/// <param name="TaskHubName">The task hub.</param>
/// <param name="ConnectionName">The storage connection's app setting name, when the binding names one.</param>
/// <param name="RpcBaseUrl">The extension's local gRPC endpoint.</param>
/// <param name="HttpBaseUrl">The base of the management API's URLs, when the extension gives it.</param>
/// <param name="RequiredQueryStringParameters">What every management URL must carry (task hub, connection, key).</param>
public sealed record DurableClientInfo(string TaskHubName, string? ConnectionName, Uri RpcBaseUrl, string? HttpBaseUrl, string? RequiredQueryStringParameters)
{
    /// <summary>Reads the binding's JSON.</summary>
    public static DurableClientInfo Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return new DurableClientInfo(
            Text("taskHubName") ?? throw new InvalidDataException($"The client binding named no task hub: {json}"),
            Text("connectionName"),
            Uri.TryCreate(Text("rpcBaseUrl"), UriKind.Absolute, out Uri? rpc) ? rpc : throw new InvalidDataException($"The client binding gave no gRPC endpoint: {json}"),
            Text("httpBaseUrl"),
            Text("requiredQueryStringParameters"));
    }
}

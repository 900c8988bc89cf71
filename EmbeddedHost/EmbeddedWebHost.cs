using System.Net;
using FunctionsBench.BenchOrchestrator.Cost;
using FunctionsBench.Embedded.Web;
using FunctionsBench.Http;
using FunctionsBench.StateFun;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace FunctionsBench.Embedded;

/// <summary>
/// The embedded host: one process with the Durable Functions extension on the WebJobs SDK (see
/// <see cref="DurableExtensionHost"/>), the app's durable functions, and Kestrel serving the app's HTTP API (the same
/// routes as the Functions app) and the extension's own management API.
/// </summary>
public sealed class EmbeddedWebHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private EmbeddedWebHost(WebApplication app, Uri baseAddress, ExtensionConfiguration configuration, HostJsonSettings hostJson)
    {
        this.app = app;
        this.BaseAddress = baseAddress;
        this.Configuration = configuration;
        this.HostJson = hostJson;
    }

    /// <summary>Where the API answers, e.g. <c>http://127.0.0.1:7071/</c>; with port 0 it carries the port chosen.</summary>
    public Uri BaseAddress { get; }

    /// <summary>What the extension applied (host.json, the overrides and its defaults), as it reported it.</summary>
    public ExtensionConfiguration Configuration { get; }

    /// <summary>The host.json the host started from.</summary>
    public HostJsonSettings HostJson { get; }

    /// <summary>The task hub the extension runs.</summary>
    public string TaskHubName => this.Configuration.HubName;

    /// <summary>The isolated-worker client of the task hub (gRPC to the extension's local endpoint).</summary>
    public DurableTaskClient Client => this.app.Services.GetRequiredService<DurableTaskClient>();

    /// <summary>Every request this process sent to the task hub's storage account.</summary>
    public StorageRequestLog StorageRequests => this.app.Services.GetRequiredService<StorageRequestLog>();

    /// <summary>Every function execution the host dispatched (orchestrator episodes, activities, entity batches, StateFun requests).</summary>
    public ExecutionLog Executions => this.app.Services.GetRequiredService<DurableFunctionInvoker>().Executions;

    /// <summary>The application's services (the app's durable code is created from these).</summary>
    public IServiceProvider Services => this.app.Services;

    /// <summary>Builds and starts the host; returns once the task hub is processed and the API answers.</summary>
    /// <param name="web">Where to listen and the function key.</param>
    /// <param name="durable">Storage, host.json and the keys set on top of it.</param>
    /// <param name="configureLogging">Logging after host.json's levels (the default: single-line console).</param>
    /// <param name="functions">The durable functions to run; the app's when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<EmbeddedWebHost> StartAsync(
        EmbeddedWebHostOptions web,
        EmbeddedHostOptions durable,
        Action<ILoggingBuilder>? configureLogging = null,
        IEnumerable<DurableFunctionEntry>? functions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web);
        ArgumentNullException.ThrowIfNull(durable);
        ThrowIfInvalid(new EmbeddedWebHostOptionsValidator(), web);
        ThrowIfInvalid(new EmbeddedHostOptionsValidator(), durable);
        HostJsonSettings hostJson = HostJsonSettings.Load(durable.ResolveHostJsonPath());
        var capture = new ExtensionConfigurationCapture();

        // The extension asks for its webhook URL while it starts, before the web server listens: the port is chosen first.
        int port = web.Port == 0 ? FreeTcpPort.Pick() : web.Port;
        string host = web.BindAddress is "*" or "0.0.0.0" || !web.IsLoopback ? "127.0.0.1" : web.BindAddress == "localhost" ? "127.0.0.1" : web.BindAddress;
        var baseAddress = new UriBuilder(Uri.UriSchemeHttp, host, port, "/").Uri;
        var requests = new StorageRequestLog(DurableExtensionHost.Endpoints(durable.ConnectionString)).Start();
        WebApplication app = Build(web, port, durable, hostJson, capture, requests, configureLogging, [.. functions ?? DurableCatalog.App]);
        DurableExtensionHost.SetWebhookAddress(app.Services, baseAddress, web.ApiKey);
        try
        {
            await app.StartAsync(cancellationToken);
            await DurableExtensionHost.ConnectAsync(app.Services, cancellationToken);

            // The extension reports its configuration while the job host starts, before StartAsync returns.
            ExtensionConfiguration configuration = await capture.Configuration.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<EmbeddedWebHost>()
                .Listening(baseAddress.ToString(), configuration.HubName, hostJson.Path);
            return new EmbeddedWebHost(app, baseAddress, configuration, hostJson);
        }
        catch
        {
            requests.Dispose();
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the application is asked to stop (Ctrl+C, SIGTERM) or <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => this.app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the API and the extension; in-flight work items are abandoned and retried by the next worker.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => this.app.StopAsync(cancellationToken);

    /// <summary>Stops the host and deletes the task hub's queues, tables and containers (scratch hubs and tests).</summary>
    public async Task DeleteTaskHubAsync()
    {
        DurableTaskExtension extension = DurableExtensionHost.Extension(this.app.Services);
        await this.app.StopAsync();
        await extension.DeleteTaskHubAsync();
        this.app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<EmbeddedWebHost>().TaskHubDeleted(this.TaskHubName);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await this.app.StopAsync();
        this.StorageRequests.Dispose();
        await this.app.DisposeAsync();
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> with every failure of <paramref name="options"/>.</summary>
    public static void ThrowIfInvalid<T>(IValidateOptions<T> validator, T options)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(validator);
        ValidateOptionsResult result = validator.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures);
        }
    }

    /// <summary>The default logging: single-line console; host.json's levels decide what it shows.</summary>
    public static void ConfigureDefaultLogging(ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
    }

    private static WebApplication Build(
        EmbeddedWebHostOptions web, int port, EmbeddedHostOptions durable, HostJsonSettings hostJson, ExtensionConfigurationCapture capture, StorageRequestLog requests,
        Action<ILoggingBuilder>? configureLogging, IReadOnlyList<DurableFunctionEntry> functions)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        ConfigureDefaultLogging(builder.Logging);
        hostJson.ApplyLogLevels(builder.Logging);
        configureLogging?.Invoke(builder.Logging);
        builder.Logging.AddProvider(capture);
        builder.Logging.AddFilter<ExtensionConfigurationCapture>(ExtensionConfigurationCapture.Category, LogLevel.Information);

        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (web.BindAddress == "*")
            {
                kestrel.ListenAnyIP(port);
            }
            else
            {
                kestrel.Listen(web.IsLoopback && !IPAddress.TryParse(web.BindAddress, out _) ? IPAddress.Loopback : IPAddress.Parse(web.BindAddress), port);
            }
        });

        DurableExtensionHost.Add(builder.Host, builder.Configuration, durable, hostJson, functions, requests);
        builder.Services.AddBench(builder.Configuration);
        builder.Services.AddSingleton(web);
        builder.Services.AddSingleton(durable);
        builder.Services.AddSingleton(capture);
        builder.Services.AddSingleton<EmbeddedBenchHost>();
        if (durable.ReportPartitions)
        {
            builder.Services.AddHostedService<PartitionMonitor>();
        }

        WebApplication app = builder.Build();
        if (web.ApiKey is { Length: > 0 })
        {
            app.UseMiddleware<FunctionKeyMiddleware>();
        }

        MapRoutes(app);
        return app;
    }

    private static void MapRoutes(WebApplication app)
    {
        app.MapPost(BenchRoutes.Path(BenchRoutes.Bench), (HttpContext http, DurableTaskClient client, EmbeddedBenchHost host) => BenchHttpApi.StartAsync(http, client, host));
        app.MapGet(BenchRoutes.Path(BenchRoutes.Results), (HttpContext http, DurableTaskClient client, string id) => BenchHttpApi.GetResultsAsync(http, client, id));
        app.MapGet(BenchRoutes.Path(BenchRoutes.Events), (HttpContext http, DurableTaskClient client, string id) => BenchHttpApi.GetEventsAsync(http, client, id));
        app.MapGet(BenchRoutes.Path(BenchRoutes.Report), (HttpContext http, DurableTaskClient client, string id) => BenchHttpApi.GetReportAsync(http, client, id));
        app.MapPost(BenchRoutes.Path(BenchRoutes.Noop), BenchHttpApi.NoopAsync);
        app.MapPost(BenchRoutes.Path(BenchRoutes.Greeter), (HttpContext http, DurableTaskClient client, EmbeddedBenchHost host, string name) => BenchHttpApi.StartGreeterAsync(http, client, host, name));

        // Every method reaches the endpoint, so that it, not the router, answers 405 as the StateFun SDKs do.
        // Timed as one execution each: deployed, every request is an HTTP-triggered function execution (what the cost counts).
        app.Map(BenchRoutes.Path(BenchRoutes.StateFun), (HttpContext http, RequestReplyHandler handler, DurableFunctionInvoker invoker)
            => invoker.Executions.TimeAsync(FunctionExecutions.Http, () => StateFunHttpEndpoint.HandleAsync(http, handler)));

        // The extension's own management API (instance status, events, terminate, purge, entities).
        app.Map(DurableExtensionHost.WebhookPath + "/{**rest}", ManagementApiForwarder.ForwardAsync);
    }
}

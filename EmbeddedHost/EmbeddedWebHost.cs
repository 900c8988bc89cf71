using Microsoft.Extensions.Configuration;
using System.Net;
using FunctionsBench.Embedded.Web;
using FunctionsBench.Hosting;
using FunctionsBench.Http;
using FunctionsBench.StateFun;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsBench.Embedded;

/// <summary>
/// The embedded host with its HTTP API: Kestrel serving the same routes as the Functions app (the bench API, the
/// StateFun endpoint, the greeter starter) plus the Durable Functions instance management routes, over an
/// <see cref="EmbeddedDurableHost"/> that starts and stops with it.
/// </summary>
public sealed class EmbeddedWebHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private EmbeddedWebHost(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        this.BaseAddress = baseAddress;
    }

    /// <summary>Where the API answers, e.g. <c>http://127.0.0.1:7071/</c>; with port 0 it carries the port chosen.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The durable host behind the API.</summary>
    public EmbeddedDurableHost DurableHost => this.app.Services.GetRequiredService<EmbeddedDurableHost>();

    /// <summary>A client of the durable host's task hub.</summary>
    public DurableTaskClient Client => this.DurableHost.Client;

    /// <summary>The application's services (the app's durable code is created from these).</summary>
    public IServiceProvider Services => this.app.Services;

    /// <summary>
    /// Builds the application without starting it: the app's services (<see cref="BenchServices.AddBench"/>), the
    /// durable host as a hosted service, Kestrel and the routes.
    /// </summary>
    /// <param name="web">Where to listen and the function key.</param>
    /// <param name="durable">The task hub and provider settings.</param>
    /// <param name="configureLogging">Replaces the default logging (single-line console, warnings and the host's own information).</param>
    /// <param name="functions">The durable functions to run; the app's when null.</param>
    public static WebApplication Build(
        EmbeddedWebHostOptions web,
        EmbeddedHostOptions durable,
        Action<ILoggingBuilder>? configureLogging = null,
        IEnumerable<DurableFunctionEntry>? functions = null)
    {
        ArgumentNullException.ThrowIfNull(web);
        ArgumentNullException.ThrowIfNull(durable);
        web.Validate();
        durable.Validate();

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        (configureLogging ?? ConfigureDefaultLogging)(builder.Logging);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (web.BindAddress == "*")
            {
                kestrel.ListenAnyIP(web.Port);
            }
            else
            {
                kestrel.Listen(web.IsLoopback && !IPAddress.TryParse(web.BindAddress, out _) ? IPAddress.Loopback : IPAddress.Parse(web.BindAddress), web.Port);
            }
        });

        // The app reads its storage account as the Functions host provides it: the AzureWebJobsStorage setting
        // (the floors measure the account the task hub uses).
        builder.Configuration.AddInMemoryCollection([new KeyValuePair<string, string?>("AzureWebJobsStorage", durable.ConnectionString)]);
        builder.Services.AddBench(builder.Configuration);
        builder.Services.AddSingleton(web);
        builder.Services.AddSingleton(sp => new EmbeddedDurableHost(durable, sp, sp.GetRequiredService<ILoggerFactory>(), functions));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedDurableHost>());
        builder.Services.AddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<EmbeddedDurableHost>().Client);
        builder.Services.AddSingleton<EmbeddedBenchHost>();

        WebApplication app = builder.Build();
        if (web.ApiKey is { Length: > 0 })
        {
            app.UseMiddleware<FunctionKeyMiddleware>();
        }

        MapRoutes(app);
        return app;
    }

    /// <summary>Builds and starts the application; returns once the task hub is processed and the API answers.</summary>
    /// <param name="web">Where to listen and the function key.</param>
    /// <param name="durable">The task hub and provider settings.</param>
    /// <param name="configureLogging">Replaces the default logging.</param>
    /// <param name="functions">The durable functions to run; the app's when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<EmbeddedWebHost> StartAsync(
        EmbeddedWebHostOptions web,
        EmbeddedHostOptions durable,
        Action<ILoggingBuilder>? configureLogging = null,
        IEnumerable<DurableFunctionEntry>? functions = null,
        CancellationToken cancellationToken = default)
    {
        WebApplication app = Build(web, durable, configureLogging, functions);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        ICollection<string> addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var bound = new Uri(addresses.First());
        string host = bound.Host is "0.0.0.0" or "[::]" ? "127.0.0.1" : bound.Host;
        var baseAddress = new UriBuilder(bound.Scheme, host, bound.Port, "/").Uri;
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<EmbeddedWebHost>().Listening(baseAddress.ToString());
        return new EmbeddedWebHost(app, baseAddress);
    }

    /// <summary>Waits until the application is asked to stop (Ctrl+C, SIGTERM) or <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => this.app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the API and the durable host.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => this.app.StopAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await this.app.StopAsync();
        await this.app.DisposeAsync();
    }

    /// <summary>The default logging: single-line console; warnings, plus the bench's own information messages.</summary>
    public static void ConfigureDefaultLogging(ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("FunctionsBench", LogLevel.Information);
    }

    private static void MapRoutes(WebApplication app)
    {
        app.MapPost("/api/bench", (HttpContext http, DurableTaskClient client, EmbeddedBenchHost host) => BenchHttpApi.StartAsync(http, client, host));
        app.MapGet("/api/bench/{id}", (HttpContext http, DurableTaskClient client, string id) => BenchHttpApi.GetResultsAsync(http, client, id));
        app.MapGet("/api/bench/{id}/events", (HttpContext http, DurableTaskClient client, string id) => BenchHttpApi.GetEventsAsync(http, client, id));
        app.MapGet("/api/bench/{id}/report", (HttpContext http, DurableTaskClient client, string id) => BenchHttpApi.GetReportAsync(http, client, id));
        app.MapPost("/api/noop", BenchHttpApi.NoopAsync);
        app.MapPost("/api/greeter/{name}", (HttpContext http, DurableTaskClient client, EmbeddedBenchHost host, string name) => BenchHttpApi.StartGreeterAsync(http, client, host, name));

        // Every method reaches the endpoint, so that it, not the router, answers 405 as the StateFun SDKs do.
        app.Map("/api/statefun/{**path}", (HttpContext http, RequestReplyHandler handler) => StateFunHttpEndpoint.HandleAsync(http, handler));

        const string Instance = EmbeddedBenchHost.InstancesPath + "/{id}";
        app.MapGet(Instance, (HttpContext http, DurableTaskClient client, string id) => BenchHttpApi.WriteStatusAsync(http, client, id));
        app.MapPost(Instance + "/raiseEvent/{eventName}", (HttpContext http, DurableTaskClient client, string id, string eventName) => ManagementApi.RaiseEventAsync(http, client, id, eventName));
        app.MapPost(Instance + "/terminate", (HttpContext http, DurableTaskClient client, string id) => ManagementApi.TerminateAsync(http, client, id));
        app.MapDelete(Instance, (HttpContext http, DurableTaskClient client, string id) => ManagementApi.PurgeAsync(http, client, id));
    }
}

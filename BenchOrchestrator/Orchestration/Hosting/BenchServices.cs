using FunctionsBench.BenchOrchestrator;
using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.StateFun;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsBench.Hosting;

/// <summary>Operator settings of the bench (section <c>Bench</c>; environment variables <c>Bench__*</c>).</summary>
public sealed class BenchOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Bench";

    /// <summary>Comma-separated hosts besides loopback that a request's <c>stateFunUrl</c> may name.</summary>
    public string StateFunAllowedHosts { get; set; } = string.Empty;

    /// <summary>
    /// <c>disk</c> or <c>memory</c>: how the Azurite behind <c>AzureWebJobsStorage</c> keeps its data, for the results
    /// (the Functions host cannot see it; the embedded host records the mode of an Azurite it started itself).
    /// </summary>
    public string? AzuriteMode { get; set; }

    /// <summary>The limits a request is validated against.</summary>
    public BenchLimits Limits => new()
    {
        StateFunAllowedHosts = this.StateFunAllowedHosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    };
}

/// <summary>
/// The StateFun driver's HTTP client, shared with the HTTP floor so that the floor pays exactly the driver's connection
/// costs (pooling, handler, timeouts).
/// </summary>
public sealed record StateFunHttpClient(HttpClient Client);

/// <summary>The services the durable code and the HTTP API need, registered the same way on both hosts.</summary>
public static class BenchServices
{
    /// <summary>
    /// Registers telemetry, options, the StateFun functions (greeter and shopping cart), the StateFun driver and its HTTP client, and the floors'
    /// options (their storage connection is <paramref name="configuration"/>'s <c>AzureWebJobsStorage</c>).
    /// </summary>
    public static IServiceCollection AddBench(this IServiceCollection services, IConfiguration configuration)
    {
        // Every options class of the bench the same way: bound from its section of the host's settings, checked by its validator when first read.
        services.AddOptions<BenchOptions>().Bind(configuration.GetSection(BenchOptions.Section));
        services.AddSingleton(sp => new BenchTelemetry(configuration));
        services.AddSingleton(ServedFunctions.CreateHandler());

        // One client for the whole process: the driver makes thousands of sequential requests to one endpoint.
        services.AddSingleton(_ => new StateFunHttpClient(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(30),
        }));
        services.AddSingleton(sp => new StateFunDriver(sp.GetRequiredService<StateFunHttpClient>().Client));
        services.AddOptions<FloorOptions>().Bind(configuration.GetSection(FloorOptions.Section))
            .Configure(floors => floors.StorageConnection = configuration[FloorOptions.StorageConnectionSetting]);
        services.AddSingleton<IValidateOptions<FloorOptions>, FloorOptionsValidator>();
        return services;
    }
}

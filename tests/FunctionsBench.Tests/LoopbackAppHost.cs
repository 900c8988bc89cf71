using System.Net;
using FunctionsBench.Http;
using FunctionsBench.StateFun;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsBench.Tests;

/// <summary>
/// The two routes of the app's HTTP API the floors concern, on Kestrel at 127.0.0.1 on a free port: the StateFun
/// endpoint (<c>/api/statefun/{function.name}</c>) and the no-op beside it (<c>/api/noop</c>), as both hosts map them.
/// </summary>
public sealed class LoopbackAppHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackAppHost(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>For example <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The no-op endpoint, the HTTP floor's target.</summary>
    public string NoopUrl => BaseAddress.ToString().TrimEnd('/') + BenchHttpApi.NoopPath;

    /// <summary>The StateFun URL a run gets by default on this host.</summary>
    public string StateFunUrl => BaseAddress.ToString().TrimEnd('/') + BenchHttpApi.StateFunPathTemplate;

    public static async Task<LoopbackAppHost> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        RequestReplyHandler handler = Greeter.CreateHandler();
        app.MapPost("/api/statefun/{**path}", context => StateFunHttpEndpoint.HandleAsync(context, handler));
        app.MapPost(BenchHttpApi.NoopPath, BenchHttpApi.NoopAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new LoopbackAppHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

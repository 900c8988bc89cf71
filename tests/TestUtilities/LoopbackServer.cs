using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsBench.Testing;

/// <summary>Kestrel on 127.0.0.1, on ports the system picks, with the routes a test maps: the one way tests stand up a server.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private LoopbackServer(WebApplication app, IReadOnlyList<Uri> addresses)
    {
        this.App = app;
        this.Addresses = addresses;
    }

    /// <summary>The application (its services, for a test that needs them).</summary>
    public WebApplication App { get; }

    /// <summary>Each listener's base address, e.g. <c>http://127.0.0.1:41234/</c>, in the order asked for.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The first listener's base address.</summary>
    public Uri BaseAddress => this.Addresses[0];

    /// <summary>Starts a server with <paramref name="listeners"/> listeners, the services <paramref name="services"/> adds and the routes <paramref name="map"/> maps.</summary>
    public static async Task<LoopbackServer> StartAsync(Action<WebApplication> map, Action<IServiceCollection>? services = null, int listeners = 1)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfLessThan(listeners, 1);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            for (int i = 0; i < listeners; i++)
            {
                kestrel.Listen(IPAddress.Loopback, 0);
            }
        });
        services?.Invoke(builder.Services);
        WebApplication app = builder.Build();
        map(app);
        await app.StartAsync();
        Uri[] addresses = [.. app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Select(a => new Uri(a))];
        return new LoopbackServer(app, addresses);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await this.App.DisposeAsync();
}

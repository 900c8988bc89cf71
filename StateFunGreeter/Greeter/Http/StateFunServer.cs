using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsBench.StateFun;

/// <summary>
/// The standalone StateFun greeter: Kestrel serving <see cref="StateFunHttpEndpoint"/> on every path, for a real
/// StateFun cluster, the bench driver or tests.
/// </summary>
public sealed class StateFunServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private StateFunServer(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:41234/</c>; with port 0 it carries the port chosen.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The server's services (tests read the transport's settings from them).</summary>
    internal IServiceProvider Services => app.Services;

    /// <summary>Starts a server in this process and returns once it accepts connections.</summary>
    /// <param name="port">The TCP port; 0 picks a free one.</param>
    /// <param name="bindAddress">An IP address, <c>localhost</c>, or <c>*</c> for every interface.</param>
    /// <param name="handler">The functions served; <see cref="ServedFunctions.CreateHandler"/> (the greeter on the system clock and the shopping cart) when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <remarks>
    /// Kestrel runs each request on the thread that read it (<see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/>)
    /// instead of handing it to the thread pool: the endpoint parses, calls the functions and encodes without ever
    /// blocking, so the hand-off is pure cost, one thread wake-up per request on a path that is mostly wake-ups. With
    /// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> in the environment (<c>./bench statefun</c> sets it) the
    /// sockets' completions run there too, and a request is served start to end on one thread, as Node.js serves it
    /// (the runtime then keeps an event thread per processor, so many connections still spread over every core). A
    /// function that blocks would hold up every connection of its I/O thread: keep such work off this server.
    /// </remarks>
    public static Task<StateFunServer> StartAsync(
        int port = 0,
        string bindAddress = "127.0.0.1",
        RequestReplyHandler? handler = null,
        CancellationToken cancellationToken = default) =>
        StartAsync(port, bindAddress, handler, noopPath: null, inlineScheduling: true, cancellationToken);

    /// <summary>
    /// Starts a server that also answers <paramref name="noopPath"/> as the bench's HTTP floor endpoint does (reads
    /// the body, 200 <c>application/octet-stream</c>, empty), so a benchmark can measure the floor on the same Kestrel;
    /// <paramref name="inlineScheduling"/> false schedules requests on the thread pool, as the embedded host's Kestrel does.
    /// </summary>
    internal static async Task<StateFunServer> StartAsync(
        int port, string bindAddress, RequestReplyHandler? handler, string? noopPath, bool inlineScheduling, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ArgumentException.ThrowIfNullOrEmpty(bindAddress);
        handler ??= ServedFunctions.CreateHandler();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("FunctionsBench", LogLevel.Information);
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = inlineScheduling);
        builder.WebHost.UseKestrel(options =>
        {
            options.AddServerHeader = false;
            if (bindAddress == "*")
            {
                options.ListenAnyIP(port);
            }
            else if (string.Equals(bindAddress, "localhost", StringComparison.OrdinalIgnoreCase) && port != 0)
            {
                options.ListenLocalhost(port);
            }
            else
            {
                var ip = string.Equals(bindAddress, "localhost", StringComparison.OrdinalIgnoreCase)
                    ? IPAddress.Loopback
                    : IPAddress.Parse(bindAddress);
                options.Listen(ip, port);
            }
        });

        var app = builder.Build();
        if (noopPath is null)
        {
            app.Run(context => StateFunHttpEndpoint.HandleAsync(context, handler));
        }
        else
        {
            app.Run(context => context.Request.Path == noopPath ? NoopAsync(context) : StateFunHttpEndpoint.HandleAsync(context, handler));
        }
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var baseAddress = new Uri(addresses.First().Replace("[::]", "localhost", StringComparison.Ordinal).TrimEnd('/') + "/");
        Logs.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StateFunServer).FullName!), baseAddress);
        return new StateFunServer(app, baseAddress);
    }

    private static async Task NoopAsync(HttpContext context)
    {
        // The StateFun endpoint reads its whole body, so the floor must too.
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = StateFunHttpEndpoint.ContentType;
        context.Response.ContentLength = 0;
    }

    /// <summary>Runs a server until <paramref name="cancellationToken"/> is cancelled or the process is asked to stop.</summary>
    /// <param name="port">The TCP port; 0 picks a free one (logged).</param>
    /// <param name="bindAddress">An IP address, <c>localhost</c>, or <c>*</c> for every interface.</param>
    /// <param name="cancellationToken">Stops the server.</param>
    public static async Task RunAsync(int port, string bindAddress = "127.0.0.1", CancellationToken cancellationToken = default)
    {
        var server = await StartAsync(port, bindAddress, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            await server.app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the server gracefully.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default) =>
        await app.StopAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}

using FunctionsBench.Embedded.Web;
using FunctionsBench.Hosting;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace FunctionsBench.Embedded.Tests;

/// <summary>
/// One embedded host (durable host and HTTP API on a free loopback port) on a fresh task hub for one test class;
/// the task hub is deleted afterwards. Runs the app's durable functions plus <see cref="TestFunctions"/>.
/// </summary>
/// <remarks>Use from classes in the <see cref="AzuriteCollection"/>, which owns the emulator.</remarks>
public class EmbeddedHostFixture : IAsyncLifetime
{
    private TestHost? host;

    /// <summary>The running host.</summary>
    public TestHost Host => this.host ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>A client of the host's task hub.</summary>
    public DurableTaskClient Client => this.Host.Client;

    /// <summary>The HTTP API's base address.</summary>
    public Uri BaseAddress => this.Host.BaseAddress;

    /// <summary>An HTTP client with <see cref="BaseAddress"/>.</summary>
    public HttpClient Http => this.Host.Http;

    /// <summary>A task hub name that no other test uses.</summary>
    public static string NewTaskHubName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 12, 45)];

    /// <summary>Starts a host on a new task hub; the caller disposes it (which deletes the hub).</summary>
    public static async Task<TestHost> StartHostAsync(string hubPrefix, Action<EmbeddedHostOptions>? configure = null, EmbeddedWebHostOptions? web = null)
    {
        var options = new EmbeddedHostOptions
        {
            ConnectionString = AzuriteFixture.ConnectionString,
            TaskHubName = NewTaskHubName(hubPrefix),

            // Short polling keeps tests that wait on idle queues quick.
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        EmbeddedWebHost host = await EmbeddedWebHost.StartAsync(
            web ?? new EmbeddedWebHostOptions { Port = 0 },
            options,
            logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning),
            DurableCatalog.App.Concat(TestFunctions.All));
        return new TestHost(host);
    }

    /// <summary>Options of the host, changed by derived fixtures.</summary>
    protected virtual void Configure(EmbeddedHostOptions options)
    {
    }

    /// <inheritdoc/>
    public async Task InitializeAsync() => this.host = await StartHostAsync("t", this.Configure);

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (this.host is not null)
        {
            await this.host.DisposeAsync();
        }
    }
}

/// <summary>A started embedded host on its own task hub; disposing stops it and deletes the task hub.</summary>
public sealed class TestHost(EmbeddedWebHost host) : IAsyncDisposable
{
    /// <summary>The web host.</summary>
    public EmbeddedWebHost WebHost { get; } = host;

    /// <summary>A client of the task hub.</summary>
    public DurableTaskClient Client => this.WebHost.Client;

    /// <summary>The HTTP API's base address.</summary>
    public Uri BaseAddress => this.WebHost.BaseAddress;

    /// <summary>An HTTP client with <see cref="BaseAddress"/>.</summary>
    public HttpClient Http { get; } = new() { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        this.Http.Dispose();
        await this.WebHost.DeleteTaskHubAsync();
        await this.WebHost.DisposeAsync();
    }
}

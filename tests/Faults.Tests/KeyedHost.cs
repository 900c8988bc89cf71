using System.Net;
using System.Text.Json;
using FunctionsBench.Embedded.Web;

namespace FunctionsBench.Faults.Tests;

/// <summary>An embedded host with a function key on an Azurite of its own, shared by the key tests, and a completed greeter instance on it.</summary>
public sealed class KeyedHost : IAsyncLifetime
{
    /// <summary>The host's function key.</summary>
    public const string Key = "s3cret-management";

    private TestAzurite? azurite;
    private EmbeddedWebHost? host;
    private HttpClient? http;
    private string? completed;

    /// <summary>The emulator.</summary>
    public TestAzurite Azurite => this.azurite ?? throw new InvalidOperationException("Not started.");

    /// <summary>A client of the host (no key of its own).</summary>
    public HttpClient Http => this.http ?? throw new InvalidOperationException("Not started.");

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        this.azurite = await TestAzurite.StartAsync("keys");
        var options = new EmbeddedHostOptions { ConnectionString = this.azurite.ConnectionString, TaskHubName = FaultHosts.NewHub("keys") };
        this.host = await EmbeddedWebHost.StartAsync(new EmbeddedWebHostOptions { Port = 0, ApiKey = Key }, options);
        this.http = new HttpClient { BaseAddress = this.host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The id of a greeter orchestration started with the key and completed (started on first use).</summary>
    public async Task<string> CompletedInstanceAsync()
    {
        if (this.completed is not null)
        {
            return this.completed;
        }

        using HttpResponseMessage started = await this.Http.PostAsync($"api/greeter/Ada?code={Key}", null);
        string body = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"{(int)started.StatusCode} {body}");
        string id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? status = null;
        while (status is not ("Completed" or "Failed" or "Terminated"))
        {
            await Task.Delay(200, timeout.Token);
            using HttpResponseMessage read = await this.Http.GetAsync($"runtime/webhooks/durabletask/instances/{id}?code={Key}", timeout.Token);
            status = JsonDocument.Parse(await read.Content.ReadAsStringAsync(timeout.Token)).RootElement.GetProperty("runtimeStatus").GetString();
        }

        Assert.Equal("Completed", status);
        this.completed = id;
        return id;
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        this.http?.Dispose();
        if (this.host is not null)
        {
            await this.host.DisposeAsync();
        }

        if (this.azurite is not null)
        {
            await this.azurite.DisposeAsync();
        }
    }
}

using System.Net;
using System.Text.Json;
using FunctionsBench.Embedded.Web;
using FunctionsBench.GreeterFunctions;
using Microsoft.Extensions.Options;

namespace FunctionsBench.Faults.Tests;

/// <summary>
/// Who may call the extension's management API (issue 12, item 6). Off loopback the host does not start without a
/// function key, and with one every <c>/runtime/webhooks/durabletask/...</c> route, like <c>/api/*</c>, answers 401 to a
/// request without the key or with a wrong one, and does nothing: the instance it named is still there, running.
/// The host here listens on loopback with a key, which is the same middleware an off-loopback host has (tests use
/// loopback addresses only).
/// </summary>
public sealed class ManagementApiKeyTests(KeyedHost keyed) : IClassFixture<KeyedHost>
{
    private const string Webhook = "runtime/webhooks/durabletask";

    /// <summary>Every management route: method and path; {id} is a running instance.</summary>
    public static TheoryData<string, string> Routes => new()
    {
        { "GET", $"{Webhook}/instances/{{id}}" },
        { "GET", $"{Webhook}/instances" },
        { "DELETE", $"{Webhook}/instances/{{id}}" },
        { "DELETE", $"{Webhook}/instances?createdTimeFrom=2000-01-01T00:00:00Z" },
        { "POST", $"{Webhook}/instances/{{id}}/raiseEvent/Approval" },
        { "POST", $"{Webhook}/instances/{{id}}/terminate?reason=unauthorized" },
        { "POST", $"{Webhook}/instances/{{id}}/suspend?reason=unauthorized" },
        { "POST", $"{Webhook}/instances/{{id}}/resume?reason=unauthorized" },
        { "POST", $"{Webhook}/instances/{{id}}/rewind?reason=unauthorized" },
        { "POST", $"{Webhook}/orchestrators/{nameof(GreeterOrchestration)}" },
        { "POST", $"{Webhook}/orchestrators/{nameof(GreeterOrchestration)}/unauthorized-start" },
        { "GET", $"{Webhook}/entities/{nameof(GreeterEntity)}/1" },
        { "POST", $"{Webhook}/entities/{nameof(GreeterEntity)}/1?op=Login" },
        { "GET", $"{Webhook}/entities" },
    };

    [Fact]
    public async Task Start_OffLoopbackWithoutKey_RefusesToListen()
    {
        var durable = new EmbeddedHostOptions { ConnectionString = keyed.Azurite.ConnectionString, TaskHubName = FaultHosts.NewHub("keys") };

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(
            () => EmbeddedWebHost.StartAsync(new EmbeddedWebHostOptions { BindAddress = "0.0.0.0", Port = 0 }, durable));

        Assert.Contains("set a function key", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task ManagementRoute_WithoutKeyOrWithWrongKey_Answers401AndLeavesTheInstanceRunning(string method, string route)
    {
        string id = await keyed.CompletedInstanceAsync();
        string path = route.Replace("{id}", id, StringComparison.Ordinal);
        string separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";

        using HttpResponseMessage without = await this.SendAsync(method, path, header: null);
        using HttpResponseMessage wrongHeader = await this.SendAsync(method, path, header: "guess");
        using HttpResponseMessage wrongQuery = await this.SendAsync(method, $"{path}{separator}code=guess", header: null);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongHeader.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongQuery.StatusCode);
        Assert.Equal(string.Empty, await without.Content.ReadAsStringAsync());

        // Nothing happened: the instance is there, unchanged (not purged, rewound or restarted), nothing was started
        // under the id the refused start named, and the key opens the status route.
        using HttpResponseMessage status = await this.SendAsync("GET", $"{Webhook}/instances/{id}", header: KeyedHost.Key);
        string body = await status.Content.ReadAsStringAsync();
        Assert.True(status.StatusCode == HttpStatusCode.OK, $"{(int)status.StatusCode} {body}");
        Assert.Equal("Completed", JsonDocument.Parse(body).RootElement.GetProperty("runtimeStatus").GetString());
        using HttpResponseMessage notStarted = await this.SendAsync("GET", $"{Webhook}/instances/unauthorized-start", header: KeyedHost.Key);
        Assert.Equal(HttpStatusCode.NotFound, notStarted.StatusCode);
    }

    [Fact]
    public async Task ApiRoute_WithoutKey_Answers401AndStartsNothing()
    {
        using HttpResponseMessage without = await this.SendAsync("POST", "api/bench", header: null);
        using HttpResponseMessage wrong = await this.SendAsync("POST", "api/bench?code=guess", header: null);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? header)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET" && method != "DELETE")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        if (header is not null)
        {
            request.Headers.Add("x-functions-key", header);
        }

        return await keyed.Http.SendAsync(request);
    }
}

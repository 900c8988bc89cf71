using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using FunctionsBench.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FunctionsBench.StateFun.Tests;

/// <summary>
/// A stand-in for the StateFun playground's HTTP ingress and egress (flink-statefun-playground, playground-internal
/// IngressWebServer and EgressWebServer), each on its own loopback port, answering as they do: always HTTP 200 with the
/// outcome in a <c>Status</c> header; the ingress routes <c>/namespace/type/id</c> and takes the typename from a
/// <c>Content-Type: application/vnd.&lt;typename&gt;</c>; the egress hands out one record's payload per
/// <c>GET /topic</c>, or an empty body with <c>Status: 404</c>. Behind the ingress it plays the greeter itself.
/// </summary>
internal sealed class PlaygroundFake : IAsyncDisposable
{
    private LoopbackServer? ingress;
    private LoopbackServer? egress;
    private readonly ConcurrentQueue<byte[]> greetings = new();
    private readonly Dictionary<string, (int Seen, long LastMs)> users = new(StringComparer.Ordinal);
    private readonly object gate = new();
    private int emptyPollsLeft;

    public Uri IngressUrl => (this.ingress ?? throw new InvalidOperationException("Not started.")).BaseAddress;

    public Uri EgressUrl => (this.egress ?? throw new InvalidOperationException("Not started.")).BaseAddress;

    /// <summary>Every ingress request: method, path, content type and body.</summary>
    public ConcurrentQueue<(string Method, string Path, string? ContentType, string Body)> IngressRequests { get; } = new();

    /// <summary>How many empty polls the egress answers after each login before its greeting shows.</summary>
    public int EmptyPollsPerLogin { get; set; }

    /// <summary>Replaces each greeting text, to play a greeter that answers wrongly; null leaves them.</summary>
    public Func<string, string>? RewriteGreeting { get; set; }

    /// <summary>When set, the ingress answers this in its Status header and drops the message.</summary>
    public int? IngressStatus { get; set; }

    /// <summary>Puts a record on the topic, as an earlier run would have left it.</summary>
    public void Leave(string payload) => greetings.Enqueue(Encoding.UTF8.GetBytes(payload));

    /// <summary>Gives the user a history, as a cluster that has seen logins before.</summary>
    public void SetSeen(string userId, int seen)
    {
        lock (gate)
        {
            users[userId] = (seen, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
    }

    public static async Task<PlaygroundFake> StartAsync()
    {
        var fake = new PlaygroundFake();
        fake.ingress = await LoopbackServer.StartAsync(app => app.Run(fake.IngressAsync));
        fake.egress = await LoopbackServer.StartAsync(app => app.Run(fake.EgressAsync));
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        if (this.ingress is not null)
        {
            await this.ingress.DisposeAsync();
        }

        if (this.egress is not null)
        {
            await this.egress.DisposeAsync();
        }
    }

    private async Task IngressAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        IngressRequests.Enqueue((http.Request.Method, http.Request.Path.Value ?? "", http.Request.ContentType, body));
        var parts = (http.Request.Path.Value ?? "").TrimStart('/').Split('/');
        if (IngressStatus is { } refused || parts.Length != 3)
        {
            Status(http, IngressStatus ?? 500);
            return;
        }

        // The playground ingress has no method check; the typename comes from the content type.
        if (parts[0] == "greeter.fns" && parts[1] == "user" && http.Request.ContentType == "application/vnd.greeter.types/UserLogin")
        {
            var login = JsonSerializer.Deserialize<JsonElement>(body);
            var name = login.GetProperty("user_name").GetString()!;
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            string text;
            lock (gate)
            {
                var (seen, last) = users.GetValueOrDefault(parts[2], (0, now));
                users[parts[2]] = (seen + 1, now);
                text = GreetingText.For(seen + 1, name, now - last);
                emptyPollsLeft = EmptyPollsPerLogin;
            }

            greetings.Enqueue(Encoding.UTF8.GetBytes(RewriteGreeting?.Invoke(text) ?? text));
        }

        Status(http, 200);
    }

    private async Task EgressAsync(HttpContext http)
    {
        if (http.Request.Path.Value != "/greetings")
        {
            Status(http, 405);
            return;
        }

        lock (gate)
        {
            if (emptyPollsLeft > 0)
            {
                emptyPollsLeft--;
                Status(http, 404);
                return;
            }
        }

        if (!greetings.TryDequeue(out var payload))
        {
            Status(http, 404);
            return;
        }

        Status(http, 200);
        await http.Response.Body.WriteAsync(payload);
    }

    // Undertow's handlers put the status in a header named Status; the HTTP status stays 200.
    private static void Status(HttpContext http, int status) => http.Response.Headers["Status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

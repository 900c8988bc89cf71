using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace FunctionsBench.Embedded.Run;

/// <summary>The Durable Functions status of a run as the status URI reports it.</summary>
public sealed record RunStatus(string RuntimeStatus, BenchProgress? Progress, JsonElement? Output);

/// <summary>
/// Drives the bench's HTTP API: the same calls against the embedded host and against a Functions app under
/// <c>func start</c>, so <c>./bench run</c> measures either the same way.
/// </summary>
/// <remarks>
/// Where keys are checked (Azure, <c>func start --enableAuth</c>), POST /api/bench takes a function key
/// (<paramref name="functionKey"/>, sent as <c>code</c>) and the extension's status URIs take its system key, which the
/// app puts into the status URI it returns; <paramref name="systemKey"/> replaces that one when given.
/// </remarks>
public sealed class BenchApiClient(HttpClient http, Uri baseAddress, string? functionKey, string? systemKey = null)
{
    /// <summary><paramref name="uri"/> without its <c>code</c> (a key), for printing.</summary>
    public static string WithoutKey(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        string[] kept = [.. uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("code=", StringComparison.OrdinalIgnoreCase))];
        return new UriBuilder(uri) { Query = string.Join('&', kept) }.Uri.ToString();
    }

    /// <summary>Starts a run with <paramref name="request"/> (the POST /api/bench body) and returns its check-status payload.</summary>
    public async Task<(string Id, Uri StatusUri)> StartAsync(JsonElement request, CancellationToken cancellationToken)
    {
        using var content = new StringContent(request.GetRawText(), Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(this.Url("api/bench"), content, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new BenchApiException($"cannot reach {baseAddress}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BenchApiException($"{baseAddress} did not answer POST /api/bench within {http.Timeout.TotalSeconds:0} s");
        }

        using HttpResponseMessage answered = response;
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest && TryReadError(body) is { } refused)
        {
            throw new BenchApiException($"the server refused the request: {refused}");
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new BenchApiException(functionKey is null
                ? $"POST /api/bench answered {(int)response.StatusCode}: {baseAddress} checks keys; give a function key of the app with --code"
                : $"POST /api/bench answered {(int)response.StatusCode}: the app refused the function key given with --code");
        }

        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            string hint = response.StatusCode is HttpStatusCode.NotFound ? $" (is {baseAddress} a FunctionsBench app?)" : string.Empty;
            throw new BenchApiException($"POST /api/bench answered {(int)response.StatusCode}{hint}: {OneLine(body)}");
        }

        using JsonDocument payload = JsonDocument.Parse(body);
        string id = payload.RootElement.GetProperty("id").GetString()!;
        var statusUri = new Uri(payload.RootElement.GetProperty("statusQueryGetUri").GetString()!);
        return (id, systemKey is null ? statusUri : WithKey(statusUri, systemKey));
    }

    /// <summary><paramref name="uri"/> with <paramref name="key"/> as its only <c>code</c>.</summary>
    private static Uri WithKey(Uri uri, string key)
    {
        var builder = new UriBuilder(WithoutKey(uri));
        string query = builder.Query.TrimStart('?');
        builder.Query = (query.Length > 0 ? query + "&" : string.Empty) + "code=" + Uri.EscapeDataString(key);
        return builder.Uri;
    }

    /// <summary>Reads the status URI.</summary>
    public async Task<RunStatus> GetStatusAsync(Uri statusUri, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.GetAsync(statusUri, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new BenchApiException(systemKey is null
                ? $"the status URI answered {(int)response.StatusCode}: it takes the Durable Functions extension's system key (durabletask_extension), which the app did not put into it; give it with --system-key"
                : $"the status URI answered {(int)response.StatusCode}: the app refused the key given with --system-key (the extension's system key, durabletask_extension, or the master key)");
        }

        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.InternalServerError))
        {
            throw new BenchApiException($"the status URI answered {(int)response.StatusCode}: {OneLine(body)}");
        }

        using JsonDocument status = JsonDocument.Parse(body);
        JsonElement root = status.RootElement;
        BenchProgress? progress = root.TryGetProperty("customStatus", out JsonElement custom) && custom.ValueKind == JsonValueKind.Object
            ? custom.Deserialize<BenchProgress>(BenchJson.Options)
            : null;
        JsonElement? output = root.TryGetProperty("output", out JsonElement o) && o.ValueKind != JsonValueKind.Null ? o.Clone() : null;
        return new RunStatus(root.GetProperty("runtimeStatus").GetString()!, progress, output);
    }

    /// <summary>How far the unit orchestration <paramref name="unitInstanceId"/> is, from its status URI (beside the run's); null before it starts.</summary>
    public async Task<UnitProgress?> GetUnitProgressAsync(Uri runStatusUri, string unitInstanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runStatusUri);
        string path = runStatusUri.AbsolutePath;
        var unitUri = new UriBuilder(runStatusUri) { Path = path[..(path.LastIndexOf('/') + 1)] + Uri.EscapeDataString(unitInstanceId) }.Uri;
        using HttpResponseMessage response = await http.GetAsync(unitUri, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        using JsonDocument status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return status.RootElement.TryGetProperty("customStatus", out JsonElement custom) && custom.ValueKind == JsonValueKind.Object
            ? custom.Deserialize<UnitProgress>(BenchJson.Options)
            : null;
    }

    /// <summary>The results document (GET /api/bench/{id}) as the server wrote it.</summary>
    public Task<string> GetResultsJsonAsync(string id, CancellationToken cancellationToken) => this.GetTextAsync($"api/bench/{id}", cancellationToken);

    /// <summary>The per-event records (GET /api/bench/{id}/events?format=json).</summary>
    public async Task<IReadOnlyList<EventRecord>> GetEventsAsync(string id, CancellationToken cancellationToken)
        => JsonSerializer.Deserialize<List<EventRecord>>(await this.GetTextAsync($"api/bench/{id}/events?format=json", cancellationToken), BenchJson.Options)
            ?? throw new BenchApiException($"GET /api/bench/{id}/events answered null.");

    private async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.GetAsync(this.Url(path), cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK
            ? body
            : throw new BenchApiException($"GET /{path} answered {(int)response.StatusCode}: {body}");
    }

    /// <summary>"field: error" from a 400 body of the bench's shape; null for any other body.</summary>
    private static string? TryReadError(string body)
    {
        try
        {
            using JsonDocument error = JsonDocument.Parse(body);
            return error.RootElement.TryGetProperty("error", out JsonElement message) && error.RootElement.TryGetProperty("field", out JsonElement field)
                ? $"{field.GetString()}: {message.GetString()}"
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string OneLine(string text)
    {
        string line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= 200 ? line : line[..200] + "...";
    }

    private Uri Url(string path)
    {
        var url = new Uri(baseAddress, path);
        if (functionKey is null)
        {
            return url;
        }

        string separator = url.Query.Length > 0 ? "&" : "?";
        return new Uri($"{url}{separator}code={Uri.EscapeDataString(functionKey)}");
    }
}

/// <summary>The bench's HTTP API answered something other than what the contract promises.</summary>
public sealed class BenchApiException(string message) : Exception(message);

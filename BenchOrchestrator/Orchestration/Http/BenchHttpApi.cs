using System.Text;
using System.Text.Encodings.Web;
using FunctionsBench.BenchOrchestrator;
using FunctionsBench.BenchOrchestrator.Csv;
using FunctionsBench.BenchOrchestrator.Report;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;

namespace FunctionsBench.Http;

/// <summary>
/// The HTTP API of the bench, shared by the Functions app and the embedded host: both hosts route requests here and
/// pass their <see cref="DurableTaskClient"/>, so the contract is written once.
/// </summary>
public static class BenchHttpApi
{
    /// <summary>
    /// Error bodies are read by people: quotes around a field's name stay quotes, not <c>\u0027</c>. The body is JSON
    /// served as JSON, never embedded in HTML, so the relaxed encoder is safe here.
    /// </summary>
    private static readonly JsonSerializerOptions ErrorJson = new(BenchJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>POST /api/bench</c>: validates the body, starts a run, answers 202 with the check-status payload.</summary>
    public static async Task StartAsync(HttpContext http, DurableTaskClient client, IBenchHost host)
    {
        (byte[]? body, bool tooLarge) = await ReadBodyAsync(http.Request, BenchLimits.MaxBodyBytes);
        if (tooLarge)
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, new BenchRequestError($"the request body is larger than {BenchLimits.MaxBodyBytes} bytes", "body"));
            return;
        }

        if (http.Request.Query.Count > 0 && http.Request.Query.Keys.Any(k => k != "code"))
        {
            string key = http.Request.Query.Keys.First(k => k != "code");
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, new BenchRequestError($"unknown query parameter '{key}'; settings go in the JSON body", key));
            return;
        }

        string defaultStateFunUrl = HostUrls.StateFunUrlOf(http.Request);
        (BenchSettings? settings, BenchRequestError? error) = BenchRequestParser.Parse(body, defaultStateFunUrl, host.Limits);
        if (error is not null)
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, error);
            return;
        }

        string runId = Guid.NewGuid().ToString("N");

        // This host's own endpoints (its StateFun greeter, the HTTP floor's no-op) sit behind the key the run was started
        // with; a StateFun URL from the body brings its own.
        string? hostKey = http.Request.Query["code"].FirstOrDefault() is { Length: > 0 } code ? code : null;
        bool onThisHost = settings!.StateFunUrl == defaultStateFunUrl;
        (string stateFunUrl, string? stateFunKey) = onThisHost ? (defaultStateFunUrl, hostKey) : HostUrls.SplitFunctionKey(settings.StateFunUrl);
        var run = new BenchRun(
            runId, settings with { StateFunUrl = stateFunUrl }, host.HostName, host.StorageProvider, host.Storage, stateFunKey, host.Environment,
            HostUrls.NoopUrlOf(http.Request), hostKey, onThisHost);
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(BenchControlOrchestration), run, new StartOrchestrationOptions(runId), http.RequestAborted);
        await WriteAcceptedAsync(http, host.CreateManagementUris(http.Request, runId));
    }

    /// <summary><c>POST /api/greeter/{name}</c>: starts one greeter orchestration (the tutorial's HTTP starter).</summary>
    public static async Task StartGreeterAsync(HttpContext http, DurableTaskClient client, IBenchHost host, string name)
    {
        if (name.Length is 0 or > BenchLimits.MaxUserNameLength || name.Any(char.IsControl))
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, new BenchRequestError($"the name must be 1 to {BenchLimits.MaxUserNameLength} printable characters", "name"));
            return;
        }

        string id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(GreeterFunctions.GreeterOrchestration), name, http.RequestAborted);
        await WriteAcceptedAsync(http, host.CreateManagementUris(http.Request, id));
    }

    /// <summary>
    /// <c>GET /api/bench/{id}</c>: the results document when the run has completed (200), its progress while it runs
    /// (202), the failure when it failed or was terminated (409), 404 for an unknown run.
    /// </summary>
    public static async Task GetResultsAsync(HttpContext http, DurableTaskClient client, string id)
    {
        OrchestrationMetadata? run = await GetRunAsync(http, client, id);
        if (run is null)
        {
            return;
        }

        switch (run.RuntimeStatus)
        {
            case OrchestrationRuntimeStatus.Completed:
                await WriteRawJsonAsync(http, StatusCodes.Status200OK, run.SerializedOutput ?? "null");
                break;
            case OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated:
                await WriteJsonAsync(http, StatusCodes.Status409Conflict, new
                {
                    error = $"run {id} is {run.RuntimeStatus}",
                    runtimeStatus = run.RuntimeStatus.ToString(),
                    failure = run.FailureDetails?.ErrorMessage ?? run.SerializedOutput,
                });
                break;
            default:
                await WriteJsonAsync(http, StatusCodes.Status202Accepted, new
                {
                    runtimeStatus = run.RuntimeStatus.ToString(),
                    customStatus = ParseOrNull(run.SerializedCustomStatus),
                });
                break;
        }
    }

    /// <summary><c>GET /api/bench/{id}/events?format=csv|json</c>: every timing record of the run, read from the timings entities.</summary>
    public static async Task GetEventsAsync(HttpContext http, DurableTaskClient client, string id)
    {
        string format = http.Request.Query["format"].ToString();
        if (format is not ("" or "json" or "csv"))
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, new BenchRequestError("'format' must be csv or json", "format"));
            return;
        }

        OrchestrationMetadata? run = await GetRunAsync(http, client, id);
        if (run is null)
        {
            return;
        }

        BenchRun input = ReadRun(run);
        IReadOnlyList<EventRecord> events = await ReadEventsAsync(client, input, http.RequestAborted);
        if (format == "csv")
        {
            // A finished run's rows carry its document's identity (its start, its units' floors); a running one's the instance's creation.
            RunIdentity identity = run.RuntimeStatus == OrchestrationRuntimeStatus.Completed && run.SerializedOutput is { } output
                ? RunIdentity.Of(JsonSerializer.Deserialize<ResultsDocument>(output, BenchJson.Options)!)
                : RunIdentity.Of(input, run.CreatedAt.UtcDateTime);
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "text/csv; charset=utf-8";
            await http.Response.WriteAsync(EventsCsv.Write(identity, events), http.RequestAborted);
        }
        else
        {
            await WriteJsonAsync(http, StatusCodes.Status200OK, events);
        }
    }

    /// <summary><c>GET /api/bench/{id}/report</c>: the HTML report of a completed run.</summary>
    public static async Task GetReportAsync(HttpContext http, DurableTaskClient client, string id)
    {
        OrchestrationMetadata? run = await GetRunAsync(http, client, id);
        if (run is null)
        {
            return;
        }

        if (run.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            await WriteJsonAsync(http, StatusCodes.Status409Conflict, new { error = $"run {id} is {run.RuntimeStatus}; the report needs a completed run", runtimeStatus = run.RuntimeStatus.ToString() });
            return;
        }

        ResultsDocument document = JsonSerializer.Deserialize<ResultsDocument>(run.SerializedOutput!, BenchJson.Options)!;
        IReadOnlyList<EventRecord> events = await ReadEventsAsync(client, ReadRun(run), http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(HtmlReport.Build(document, inspection: null, events), http.RequestAborted);
    }

    /// <summary>
    /// <c>POST /api/noop</c>: reads and discards the body, answers 200 <c>application/octet-stream</c> with no body.
    /// The HTTP floor posts StateFun-sized bodies here: everything a StateFun request costs except the function's work.
    /// </summary>
    public static async Task NoopAsync(HttpContext http)
    {
        // The StateFun endpoint reads its whole body, so the floor must too.
        await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/octet-stream";
        http.Response.ContentLength = 0;
    }

    /// <summary>
    /// The Durable Functions status shape of any instance, for hosts that serve
    /// <c>/runtime/webhooks/durabletask/instances/{id}</c> themselves (the Functions host's extension does it there).
    /// </summary>
    public static async Task WriteStatusAsync(HttpContext http, DurableTaskClient client, string id)
    {
        OrchestrationMetadata? instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, http.RequestAborted);
        if (instance is null)
        {
            await WriteJsonAsync(http, StatusCodes.Status404NotFound, new { error = $"no instance with id {id}" });
            return;
        }

        int status = instance.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended => StatusCodes.Status202Accepted,
            OrchestrationRuntimeStatus.Failed => StatusCodes.Status500InternalServerError,
            _ => StatusCodes.Status200OK,
        };
        await WriteJsonAsync(http, status, new
        {
            name = instance.Name,
            instanceId = instance.InstanceId,
            runtimeStatus = instance.RuntimeStatus.ToString(),
            input = ParseOrNull(instance.SerializedInput),
            customStatus = ParseOrNull(instance.SerializedCustomStatus),
            output = instance.FailureDetails is { } failure ? JsonSerializer.SerializeToElement(failure.ErrorMessage) : ParseOrNull(instance.SerializedOutput),
            createdTime = instance.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            lastUpdatedTime = instance.LastUpdatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        });
    }

    /// <summary>Every timing record of <paramref name="run"/>, in unit and sequence order.</summary>
    public static async Task<IReadOnlyList<EventRecord>> ReadEventsAsync(DurableTaskClient client, BenchRun run, CancellationToken cancellationToken)
    {
        var events = new List<EventRecord>();
        foreach (BenchUnit unit in BenchPlan.Units(run.Settings))
        {
            for (int chunk = 0; chunk < TimingsChunk.CountFor(unit.Invocations); chunk++)
            {
                EntityMetadata<TimingsChunk>? entity = await client.Entities.GetEntityAsync<TimingsChunk>(TimingsChunk.IdFor(run.RunId, unit, chunk), cancellation: cancellationToken);
                if (entity is not null)
                {
                    events.AddRange(entity.State.Records().Select(r => EventRecord.From(unit, r)));
                }
            }
        }

        return events;
    }

    private static async Task<OrchestrationMetadata?> GetRunAsync(HttpContext http, DurableTaskClient client, string id)
    {
        OrchestrationMetadata? run = await client.GetInstanceAsync(id, getInputsAndOutputs: true, http.RequestAborted);
        if (run is null || run.Name != nameof(BenchControlOrchestration))
        {
            await WriteJsonAsync(http, StatusCodes.Status404NotFound, new { error = $"no benchmark run with id {id}" });
            return null;
        }

        return run;
    }

    private static BenchRun ReadRun(OrchestrationMetadata run)
        => JsonSerializer.Deserialize<BenchRun>(run.SerializedInput!, BenchJson.Options)
           ?? throw new InvalidOperationException($"Run {run.InstanceId} has no input.");

    private static async Task<(byte[] Body, bool TooLarge)> ReadBodyAsync(HttpRequest request, int limit)
    {
        if (request.ContentLength > limit)
        {
            return ([], true);
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return ([], true);
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), false);
    }

    private static async Task WriteAcceptedAsync(HttpContext http, HttpManagementUris uris)
    {
        http.Response.Headers.Location = uris.StatusQueryGetUri;
        await WriteJsonAsync(http, StatusCodes.Status202Accepted, uris);
    }

    private static Task WriteErrorAsync(HttpContext http, int status, BenchRequestError error) => WriteJsonAsync(http, status, error, ErrorJson);

    private static async Task WriteJsonAsync<T>(HttpContext http, int status, T value, JsonSerializerOptions? options = null)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, value, options ?? BenchJson.Options, http.RequestAborted);
    }

    private static async Task WriteRawJsonAsync(HttpContext http, int status, string json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(json, Encoding.UTF8, http.RequestAborted);
    }

    private static JsonElement? ParseOrNull(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Custom status or output written by something other than this app: pass it on as a string.
            return JsonSerializer.SerializeToElement(json);
        }
    }
}

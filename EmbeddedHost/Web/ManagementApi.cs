using System.Text.Json;
using FunctionsBench.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace FunctionsBench.Embedded.Web;

/// <summary>
/// The part of the Durable Functions instance management API that the check-status payload links to: raise event,
/// terminate and purge, with the extension's status codes (202 accepted, 404 unknown, 410 already finished).
/// </summary>
internal static class ManagementApi
{
    /// <summary><c>POST .../instances/{id}/raiseEvent/{eventName}</c> with an optional JSON body.</summary>
    public static async Task RaiseEventAsync(HttpContext http, DurableTaskClient client, string id, string eventName)
    {
        JsonElement? payload;
        try
        {
            payload = http.Request.ContentLength is 0 ? null : await JsonSerializer.DeserializeAsync<JsonElement?>(http.Request.Body, BenchJson.Options, http.RequestAborted);
        }
        catch (JsonException)
        {
            await WriteAsync(http, StatusCodes.Status400BadRequest, "the event payload must be JSON");
            return;
        }

        if (await RunningInstanceAsync(http, client, id) is null)
        {
            return;
        }

        await client.RaiseEventAsync(id, eventName, payload, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    /// <summary><c>POST .../instances/{id}/terminate?reason=...</c>.</summary>
    public static async Task TerminateAsync(HttpContext http, DurableTaskClient client, string id)
    {
        if (await RunningInstanceAsync(http, client, id) is null)
        {
            return;
        }

        string? reason = http.Request.Query["reason"].FirstOrDefault();
        await client.TerminateInstanceAsync(id, reason, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    /// <summary><c>DELETE .../instances/{id}</c>: purges a finished instance's history.</summary>
    public static async Task PurgeAsync(HttpContext http, DurableTaskClient client, string id)
    {
        OrchestrationMetadata? instance = await client.GetInstanceAsync(id, getInputsAndOutputs: false, http.RequestAborted);
        if (instance is null)
        {
            await WriteAsync(http, StatusCodes.Status404NotFound, $"no instance with id {id}");
            return;
        }

        if (!instance.IsCompleted && !id.StartsWith('@'))
        {
            await WriteAsync(http, StatusCodes.Status409Conflict, $"instance {id} is {instance.RuntimeStatus}; only finished instances can be purged");
            return;
        }

        PurgeResult result = await client.PurgeInstanceAsync(id, cancellation: http.RequestAborted);
        await http.Response.WriteAsJsonAsync(new { instancesDeleted = result.PurgedInstanceCount }, BenchJson.Options, http.RequestAborted);
    }

    private static async Task<OrchestrationMetadata?> RunningInstanceAsync(HttpContext http, DurableTaskClient client, string id)
    {
        OrchestrationMetadata? instance = await client.GetInstanceAsync(id, getInputsAndOutputs: false, http.RequestAborted);
        if (instance is null)
        {
            await WriteAsync(http, StatusCodes.Status404NotFound, $"no instance with id {id}");
            return null;
        }

        if (instance.IsCompleted)
        {
            await WriteAsync(http, StatusCodes.Status410Gone, $"instance {id} has already finished ({instance.RuntimeStatus})");
            return null;
        }

        return instance;
    }

    private static async Task WriteAsync(HttpContext http, int status, string error)
    {
        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(new { error }, BenchJson.Options, http.RequestAborted);
    }
}

using Azure;
using FunctionsBench.BenchOrchestrator.History;

namespace FunctionsBench.Embedded.Run;

/// <summary>Where a run's task hub lives, for what the CLI reads from storage itself (History rows, queue lengths).</summary>
/// <param name="ConnectionString">The task hub's storage account.</param>
/// <param name="TaskHub">The task hub; null to take it from the status URI (<c>taskHub=</c>), else <see cref="DefaultTaskHub"/>.</param>
public sealed record TaskHubStorage(string ConnectionString, string? TaskHub)
{
    /// <summary>The Functions app's task hub when host.json names none.</summary>
    public const string DefaultTaskHub = "FunctionsBench";

    /// <summary>The task hub: the given one, else the status URI's <c>taskHub</c> query parameter, else <see cref="DefaultTaskHub"/>.</summary>
    public string Resolve(Uri statusUri)
    {
        ArgumentNullException.ThrowIfNull(statusUri);
        if (this.TaskHub is { Length: > 0 } hub)
        {
            return hub;
        }

        foreach (string pair in statusUri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2);
            if (parts.Length == 2 && parts[0] == "taskHub" && parts[1].Length > 0)
            {
                return Uri.UnescapeDataString(parts[1]);
            }
        }

        return DefaultTaskHub;
    }
}

/// <summary>What the CLI checks in storage after a run: the History cross-check.</summary>
public static class RunInspection
{
    /// <summary>
    /// Reads the run's History rows and matches them with its recorded events; when the table cannot be read, a check
    /// that says why (the run's results stand either way). <paramref name="orchestratorStarted"/>, when given, receives
    /// the time of every OrchestratorStarted row read (the independent count of orchestrator episodes).
    /// </summary>
    public static async Task<HistoryCheck> CheckHistoryAsync(
        TaskHubStorage storage, string taskHub, ResultsDocument document, IReadOnlyList<EventRecord> events, CancellationToken cancellationToken,
        ICollection<DateTime>? orchestratorStarted = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        IReadOnlyList<HistoryRow> rows;
        try
        {
            rows = await HistoryTableReader.ReadRunAsync(storage.ConnectionString, taskHub, document.RunId, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            return HistoryCheck.Unavailable(taskHub, $"History was not available: reading table {HistoryTableReader.TableName(taskHub)} failed with {e.Status} {e.ErrorCode} (give --connection and --hub of the app's task hub).");
        }
        catch (Exception e) when (e is HttpRequestException or AggregateException or FormatException or ArgumentException or InvalidOperationException)
        {
            return HistoryCheck.Unavailable(taskHub, $"History was not available: reading table {HistoryTableReader.TableName(taskHub)} failed: {e.GetType().Name}: {e.Message}");
        }

        foreach (HistoryRow row in orchestratorStarted is null ? [] : rows.Where(r => r.EventType == "OrchestratorStarted"))
        {
            orchestratorStarted!.Add(row.Timestamp);
        }

        return rows.Count == 0
            ? HistoryCheck.Unavailable(taskHub, $"History was not available: table {HistoryTableReader.TableName(taskHub)} has no rows of run {document.RunId} (another task hub, or purged).")
            : HistoryMatcher.Check(document, events, rows, taskHub);
    }
}

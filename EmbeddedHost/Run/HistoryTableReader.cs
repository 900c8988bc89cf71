using Azure;
using Azure.Data.Tables;
using FunctionsBench.BenchOrchestrator.History;

namespace FunctionsBench.Embedded.Run;

/// <summary>Reads a run's rows from the task hub's <c>{hub}History</c> table (the Azure Storage provider's layout).</summary>
public static class HistoryTableReader
{
    private static readonly string[] Columns =
        ["PartitionKey", "RowKey", "ExecutionId", "EventType", "_Timestamp", "EventId", "TaskScheduledId", "Name", "InstanceId", "Input"];

    /// <summary>The History table of <paramref name="taskHub"/>.</summary>
    public static string TableName(string taskHub) => HistoryCheck.TableName(taskHub);

    /// <summary>
    /// The rows of the control orchestration <paramref name="runId"/> and of its sub-orchestrations (instance ids
    /// <c>{runId}:...</c>), sentinel rows left out.
    /// </summary>
    /// <exception cref="RequestFailedException">The table cannot be read (missing, wrong account, storage down).</exception>
    public static async Task<IReadOnlyList<HistoryRow>> ReadRunAsync(string connectionString, string taskHub, string runId, CancellationToken cancellationToken)
    {
        var options = new TableClientOptions();
        options.Diagnostics.ApplicationId = StorageOperations.BenchClientPrefix + "inspect";
        var table = new TableClient(connectionString, TableName(taskHub), options);
        var rows = new List<HistoryRow>();
        string[] filters =
        [
            TableClient.CreateQueryFilter($"PartitionKey eq {runId}"),
            TableClient.CreateQueryFilter($"PartitionKey gt {runId + ":"} and PartitionKey lt {runId + ";"}"),
        ];
        foreach (string filter in filters)
        {
            await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: Columns, cancellationToken: cancellationToken))
            {
                if (ToRow(entity) is { } row)
                {
                    rows.Add(row);
                }
            }
        }

        return rows;
    }

    /// <summary>A table entity as a History row; null for the sentinel row and anything that is not a history event.</summary>
    public static HistoryRow? ToRow(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (entity.GetString("EventType") is not { } eventType
            || !long.TryParse(entity.RowKey, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long sequence)
            || Timestamp(entity) is not DateTime timestamp)
        {
            return null;
        }

        return new HistoryRow(
            entity.PartitionKey, sequence, entity.GetString("ExecutionId") ?? string.Empty, eventType, timestamp,
            entity.GetInt32("EventId") ?? -1, entity.GetInt32("TaskScheduledId"), entity.GetString("Name"), entity.GetString("InstanceId"),
            eventType == "EventSent" ? entity.GetString("Input") : null);
    }

    private static DateTime? Timestamp(TableEntity entity) => entity.TryGetValue("_Timestamp", out object? value) ? value switch
    {
        DateTimeOffset offset => offset.UtcDateTime,
        DateTime time => time.ToUniversalTime(),
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed) => parsed.UtcDateTime,
        _ => null,
    } : null;
}

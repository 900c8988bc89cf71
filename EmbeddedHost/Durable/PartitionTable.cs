using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FunctionsBench.BenchOrchestrator;

namespace FunctionsBench.Embedded.Durable;

/// <summary>One control queue's lease in the task hub's partition table.</summary>
/// <param name="Partition">The control queue, e.g. <c>hub-control-02</c>.</param>
/// <param name="Owner">The worker holding the lease (<see cref="PartitionTable.WorkerName"/>); null when nobody does.</param>
/// <param name="NextOwner">A worker that asked for it (the provider balances partitions by handing them over).</param>
/// <param name="ExpiresAt">When the lease runs out unless its owner renews it.</param>
public sealed record PartitionLease(string Partition, string? Owner, string? NextOwner, DateTimeOffset? ExpiresAt);

/// <summary>
/// The Azure Storage provider's partition table (<c>{Hub}Partitions</c>): which worker owns which control queue. Workers
/// on one task hub share its partitions through these leases; a worker that dies keeps its leases until they expire,
/// and then another takes them over.
/// </summary>
public static class PartitionTable
{
    /// <summary>The table of <paramref name="taskHub"/>.</summary>
    public static string TableName(string taskHub) => taskHub + "Partitions";

    /// <summary>The provider's name for the worker in process <paramref name="pid"/> of this machine (see the host's fixed settings).</summary>
    public static string WorkerName(int pid) => string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:pid{pid}");

    /// <summary>The leases, by partition; empty when the table does not exist yet.</summary>
    public static async Task<IReadOnlyList<PartitionLease>> ReadAsync(string connectionString, string taskHub, CancellationToken cancellationToken)
    {
        var options = new TableClientOptions();
        options.Diagnostics.ApplicationId = StorageOperations.BenchClientPrefix + "leases";
        var table = new TableClient(connectionString, TableName(taskHub), options);
        var leases = new List<PartitionLease>();
        try
        {
            await foreach (TableEntity row in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            {
                leases.Add(new PartitionLease(
                    row.RowKey, Text(row, "CurrentOwner"), Text(row, "NextOwner"), row.GetDateTimeOffset("ExpiresAt")));
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }

        return [.. leases.OrderBy(l => l.Partition, StringComparer.Ordinal)];
    }

    /// <summary>How the partitions are shared, e.g. <c>00, 01: vm:pid12; 02, 03: vm:pid34</c> (<c>none</c> for unowned ones).</summary>
    public static string Describe(IEnumerable<PartitionLease> leases)
        => string.Join("; ", leases
            .GroupBy(l => l.Owner ?? "none", StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{string.Join(", ", g.Select(l => Suffix(l.Partition)))}: {g.Key}"));

    private static string? Text(TableEntity row, string name) => row.GetString(name) is { Length: > 0 } value ? value : null;

    private static string Suffix(string partition) => partition[(partition.LastIndexOf('-') + 1)..];
}

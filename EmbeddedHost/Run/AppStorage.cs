using Azure;
using Azure.Core;
using Azure.Data.Tables;
using FunctionsBench.Embedded.Azurite;

namespace FunctionsBench.Embedded.Run;

/// <summary>
/// Finds the storage of a Functions app driven at <c>--target URL</c> when no <c>--connection</c> names it: storage is
/// the app's only when the task hub's Instances table there holds the run's own instance (its id is new with every run),
/// so History and queues are never read from storage that merely looks right (another Azurite on the usual ports).
/// </summary>
public static class AppStorage
{
    private static readonly TimeSpan[] Waits = [TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];

    /// <summary>
    /// <paramref name="connectionString"/> when its task hub <paramref name="taskHub"/> has the instance
    /// <paramref name="instanceId"/>; null when it has not, or cannot be read.
    /// </summary>
    public static async Task<string?> FindAsync(string connectionString, string taskHub, string instanceId, CancellationToken cancellationToken)
    {
        var options = new TableClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(5) } };
        options.Diagnostics.ApplicationId = StorageOperations.BenchClientPrefix + "inspect";
        TableClient table;
        try
        {
            table = new TableClient(connectionString, taskHub + "Instances", options);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return null;
        }

        foreach (TimeSpan wait in Waits)
        {
            await Task.Delay(wait, cancellationToken);
            try
            {
                await foreach (TableEntity _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}"), maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken))
                {
                    return connectionString;
                }
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not there (no such table, another account, nothing listening): the instance row is written before the
                // app answers 202, so a missing row after the waits means other storage.
            }
        }

        return null;
    }

    /// <summary>
    /// The development account's connection string for a local Azurite whose queue endpoint is <paramref name="queueEndpoint"/>
    /// (blob on the port below, table on the port above, as Azurite and <c>./bench serve</c> lay them out); null for any
    /// other storage, whose key the CLI does not have.
    /// </summary>
    public static string? AzuriteConnectionFor(string queueEndpoint)
    {
        if (!Uri.TryCreate(queueEndpoint, UriKind.Absolute, out Uri? uri) || !uri.IsLoopback
            || !uri.AbsolutePath.TrimEnd('/').Equals("/devstoreaccount1", StringComparison.Ordinal) || uri.Port is < 2 or > 65534)
        {
            return null;
        }

        return AzuriteProcess.ConnectionStringFor(new AzuriteOptions { BlobPort = uri.Port - 1, QueuePort = uri.Port, TablePort = uri.Port + 1 });
    }

    /// <summary>The queue port of <paramref name="connectionString"/> when its queues are on this machine; null otherwise.</summary>
    public static int? LocalQueuePort(string connectionString)
    {
        Dictionary<string, string> parts = Parts(connectionString);
        if (parts.TryGetValue("UseDevelopmentStorage", out string? development) && development.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return 10001;
        }

        return parts.TryGetValue("QueueEndpoint", out string? endpoint) && Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) && uri.IsLoopback ? uri.Port : null;
    }

    /// <summary>Where <paramref name="connectionString"/> points, without its key: for messages.</summary>
    public static string Describe(string connectionString)
    {
        Dictionary<string, string> parts = Parts(connectionString);
        if (parts.TryGetValue("UseDevelopmentStorage", out string? development) && development.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return "the development storage (Azurite on 127.0.0.1:10000-10002)";
        }

        return parts.TryGetValue("TableEndpoint", out string? endpoint) ? $"the storage at {endpoint}"
            : parts.TryGetValue("AccountName", out string? account) ? $"storage account {account}"
            : "the storage given";
    }

    private static Dictionary<string, string> Parts(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
    }
}

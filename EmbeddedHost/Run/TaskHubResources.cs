using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace FunctionsBench.Embedded.Run;

/// <summary>
/// What the Azure Storage provider keeps of a task hub in a storage account, found by its naming: queues
/// <c>{hub}-control-NN</c> and <c>{hub}-workitems</c>, tables <c>{Hub}History</c>, <c>{Hub}Instances</c> and
/// <c>{Hub}Partitions</c>, containers <c>{hub}-leases</c>, <c>{hub}-applease</c> and <c>{hub}-largemessages</c>.
/// Lets a test or the CLI remove a hub whose host is gone (killed, or never started again).
/// </summary>
public sealed class TaskHubResources
{
    private static readonly string[] QueueSuffixes = ["-control-", "-workitems"];
    private static readonly string[] TableSuffixes = ["History", "Instances", "Partitions"];
    private static readonly string[] ContainerSuffixes = ["-leases", "-applease", "-largemessages"];

    private readonly QueueServiceClient queues;
    private readonly TableServiceClient tables;
    private readonly BlobServiceClient blobs;

    /// <summary>The resources of the account <paramref name="connectionString"/> names.</summary>
    public TaskHubResources(string connectionString)
    {
        var queueOptions = new QueueClientOptions();
        var tableOptions = new TableClientOptions();
        var blobOptions = new BlobClientOptions();
        queueOptions.Diagnostics.ApplicationId = tableOptions.Diagnostics.ApplicationId = blobOptions.Diagnostics.ApplicationId = StorageOperations.BenchClientPrefix + "inspect";
        this.queues = new QueueServiceClient(connectionString, queueOptions);
        this.tables = new TableServiceClient(connectionString, tableOptions);
        this.blobs = new BlobServiceClient(connectionString, blobOptions);
    }

    /// <summary>The names of <paramref name="hub"/>'s queues, tables and containers that exist.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string hub, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(hub);
        var names = new List<string>();
        string lower = hub.ToLowerInvariant();
        await foreach (QueueItem queue in this.queues.GetQueuesAsync(prefix: lower, cancellationToken: cancellationToken))
        {
            if (QueueSuffixes.Any(s => queue.Name.StartsWith(lower + s, StringComparison.Ordinal)))
            {
                names.Add(queue.Name);
            }
        }

        await foreach (TableItem table in this.tables.QueryAsync(cancellationToken: cancellationToken))
        {
            if (TableSuffixes.Any(s => string.Equals(table.Name, hub + s, StringComparison.OrdinalIgnoreCase)))
            {
                names.Add(table.Name);
            }
        }

        await foreach (BlobContainerItem container in this.blobs.GetBlobContainersAsync(prefix: lower, cancellationToken: cancellationToken))
        {
            if (ContainerSuffixes.Any(s => container.Name == lower + s))
            {
                names.Add(container.Name);
            }
        }

        return names;
    }

    /// <summary>Deletes every queue, table and container of <paramref name="hub"/>; returns how many there were.</summary>
    public async Task<int> DeleteAsync(string hub, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> names = await this.ListAsync(hub, cancellationToken);
        string lower = hub.ToLowerInvariant();
        foreach (string name in names)
        {
            if (QueueSuffixes.Any(s => name.StartsWith(lower + s, StringComparison.Ordinal)))
            {
                await this.queues.DeleteQueueAsync(name, cancellationToken);
            }
            else if (ContainerSuffixes.Any(s => name == lower + s))
            {
                await IgnoreMissing(this.DeleteContainerAsync(name, cancellationToken));
            }
            else
            {
                await IgnoreMissing(this.tables.DeleteTableAsync(name, cancellationToken));
            }
        }

        return names.Count;
    }

    /// <summary>Messages waiting in every queue of the account, per queue: leftovers slow every queue call on Azurite.</summary>
    public async Task<IReadOnlyDictionary<string, int>> QueueDepthsAsync(CancellationToken cancellationToken = default)
    {
        var depths = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (QueueItem queue in this.queues.GetQueuesAsync(cancellationToken: cancellationToken))
        {
            depths[queue.Name] = (await this.queues.GetQueueClient(queue.Name).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        }

        return depths;
    }

    /// <summary>Deletes a container; a lease its dead owner still holds is broken first.</summary>
    private async Task DeleteContainerAsync(string name, CancellationToken cancellationToken)
    {
        BlobContainerClient container = this.blobs.GetBlobContainerClient(name);
        try
        {
            await container.DeleteAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            await container.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: cancellationToken);
            await container.DeleteAsync(cancellationToken: cancellationToken);
        }
    }

    private static async Task IgnoreMissing(Task operation)
    {
        try
        {
            await operation;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Gone already: deleting is the goal.
        }
    }
}

namespace FunctionsBench.BenchOrchestrator.Cost;

/// <summary>
/// Azure Storage's billing categories for transactions, and which one each operation the request log counts
/// (<see cref="StorageOperations.All"/>) falls in, on general-purpose v1 and v2 accounts.
/// </summary>
/// <remarks>
/// Queues: Class 1 is CreateQueue, ListQueues, PutMessage, SetQueueMetadata, UpdateMessage, ClearMessages,
/// DeleteMessage, DeleteQueue; Class 2 is GetMessage(s), PeekMessage(s), GetQueueMetadata, GetQueueAcl,
/// GetQueueServiceProperties (Azure Queue Storage pricing page, its footnotes). Blobs: Azure's "Map each REST operation
/// to a price" (learn.microsoft.com/azure/storage/blobs/map-rest-apis-transaction-categories, ms.date 2025-05-14):
/// Get Blob is a read, Put Blob a write; Lease Blob (acquire, renew, release) and Get Blob Properties are "other" on v2
/// and reads on v1. Tables: one transaction price for every operation, an entity group transaction ($batch) counting as
/// one. <c>queue.other</c> is mostly the provider's peeks and queue metadata reads, counted as Class 2 here.
/// </remarks>
public static class BillingCategories
{
    /// <summary>Queue Class 1 operations (writes: send, delete, update).</summary>
    public const string QueueClass1 = "queue.class1";

    /// <summary>Queue Class 2 operations (reads: receive, peek, metadata).</summary>
    public const string QueueClass2 = "queue.class2";

    /// <summary>Table transactions (every operation, a batch counting as one).</summary>
    public const string TableTransaction = "table.transaction";

    /// <summary>Blob write operations.</summary>
    public const string BlobWrite = "blob.write";

    /// <summary>Blob read operations.</summary>
    public const string BlobRead = "blob.read";

    /// <summary>Blob "all other" operations.</summary>
    public const string BlobOther = "blob.other";

    /// <summary>Every category a price file prices, in the order tables show them.</summary>
    public static readonly IReadOnlyList<string> All = [QueueClass1, QueueClass2, TableTransaction, BlobWrite, BlobRead, BlobOther];

    /// <summary>The category of <paramref name="operation"/> (one of <see cref="StorageOperations.All"/>) on an account of <paramref name="kind"/> (<c>v1</c>, <c>v2</c>).</summary>
    public static string Of(string operation, string kind)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (kind is not ("v1" or "v2"))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "The account kind is v1 or v2.");
        }

        return operation switch
        {
            "queue.send" or "queue.delete" or "queue.update" => QueueClass1,
            "queue.receive" or "queue.receive.empty" or "queue.other" => QueueClass2,
            "table.batch" or "table.write" or "table.query" or "table.other" => TableTransaction,
            "blob.write" => BlobWrite,
            "blob.read" => BlobRead,
            "blob.lease" or "blob.other" => kind == "v1" ? BlobRead : BlobOther,
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a storage operation the request log counts."),
        };
    }

    /// <summary>Transactions by category of <paramref name="byOperation"/> (operations to a count, per invocation or in all).</summary>
    public static IReadOnlyDictionary<string, double> Sum(IReadOnlyDictionary<string, double> byOperation, string kind)
    {
        ArgumentNullException.ThrowIfNull(byOperation);
        var sums = All.ToDictionary(c => c, _ => 0.0, StringComparer.Ordinal);
        foreach ((string operation, double count) in byOperation)
        {
            sums[Of(operation, kind)] += count;
        }

        return sums;
    }
}

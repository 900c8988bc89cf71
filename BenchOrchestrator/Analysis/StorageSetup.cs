using System.Data.Common;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// The storage a run's task hub lives in and the provider settings it ran with (<c>storage</c> in the results
/// document), so that figures from different machines and settings can be told apart. A field is null when the host
/// cannot know it.
/// </summary>
/// <param name="Account">The storage account name (<c>devstoreaccount1</c> for Azurite).</param>
/// <param name="Emulator">Whether the account is the local Azurite emulator.</param>
/// <param name="AzuriteMode">
/// <c>disk</c> or <c>memory</c>: how the Azurite that serves the task hub keeps its data. Null for a real account and
/// for an Azurite the host did not start and was not told about (<c>Bench:AzuriteMode</c>).
/// </param>
/// <param name="PartitionCount">Control queues of the task hub.</param>
/// <param name="ExtendedSessions">Whether orchestrations and entities stay in memory between episodes.</param>
/// <param name="MaxQueuePollingIntervalMs">The longest wait between polls of an idle queue.</param>
/// <param name="ControlQueueBatchSize">Control-queue messages fetched per poll.</param>
/// <param name="VisibilityTimeoutS">How long a dequeued control or work-item message stays invisible to other workers (it bounds crash recovery).</param>
/// <param name="MaxConcurrentActivities">Activity work items run at once.</param>
/// <param name="MaxConcurrentOrchestrators">Orchestration work items run at once.</param>
/// <param name="MaxConcurrentEntities">Entity work items run at once.</param>
/// <param name="Source">
/// <c>extension</c>: the Durable Functions extension reported these values as applied (embedded host);
/// <c>host.json</c>: read from host.json and app settings by the worker, which cannot ask the host (Functions host).
/// </param>
public sealed record StorageSetup(
    string? Account,
    bool Emulator,
    string? AzuriteMode,
    int? PartitionCount,
    bool? ExtendedSessions,
    int? MaxQueuePollingIntervalMs,
    int? ControlQueueBatchSize,
    int? VisibilityTimeoutS = null,
    int? MaxConcurrentActivities = null,
    int? MaxConcurrentOrchestrators = null,
    int? MaxConcurrentEntities = null,
    string? Source = null)
{
    /// <summary>The Azurite modes.</summary>
    public static readonly IReadOnlyList<string> AzuriteModes = ["disk", "memory"];

    /// <summary><see cref="Source"/> of values the Durable Functions extension reported as applied.</summary>
    public const string SourceExtension = "extension";

    /// <summary><see cref="Source"/> of values read from host.json and app settings.</summary>
    public const string SourceHostJson = "host.json";

    /// <summary>The development account every Azurite serves.</summary>
    public const string DevelopmentAccount = "devstoreaccount1";

    /// <summary>What a run records when its host says nothing about its storage.</summary>
    public static StorageSetup Unknown { get; } = new(null, false, null, null, null, null, null);

    /// <summary>
    /// The account a storage connection string names and whether it is the emulator; (null, false) when the string
    /// names none. Never returns the key.
    /// </summary>
    public static (string? Account, bool Emulator) DescribeConnection(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return (null, false);
        }

        var parts = new DbConnectionStringBuilder();
        try
        {
            parts.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            return (null, false);
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out object? development) && string.Equals(development as string, "true", StringComparison.OrdinalIgnoreCase))
        {
            return (DevelopmentAccount, true);
        }

        string? account = parts.TryGetValue("AccountName", out object? name) ? name as string : null;
        bool loopback = new[] { "BlobEndpoint", "QueueEndpoint", "TableEndpoint" }
            .Any(key => parts.TryGetValue(key, out object? endpoint) && Uri.TryCreate(endpoint as string, UriKind.Absolute, out Uri? uri) && uri.IsLoopback);
        return (account, account == DevelopmentAccount || loopback);
    }

    /// <summary>The mode named by <paramref name="mode"/> in its canonical spelling, or null when it names none.</summary>
    public static string? ParseAzuriteMode(string? mode)
        => AzuriteModes.FirstOrDefault(m => string.Equals(m, mode?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>One line for tables and the report, e.g. <c>Azurite (disk), 1 partition, extended sessions</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>
        {
            this.Emulator ? (this.AzuriteMode is { } mode ? $"Azurite ({mode})" : "Azurite (mode not known)") : this.Account is { } account ? $"account {account}" : "storage not known",
        };
        if (this.PartitionCount is int partitions)
        {
            parts.Add(partitions == 1 ? "1 partition" : $"{partitions} partitions");
        }

        if (this.ExtendedSessions is bool extended)
        {
            parts.Add(extended ? "extended sessions" : "no extended sessions");
        }

        if (this.MaxQueuePollingIntervalMs is int polling)
        {
            parts.Add($"max polling {polling} ms");
        }

        if (this.ControlQueueBatchSize is int batch)
        {
            parts.Add($"control batch {batch}");
        }

        if (this.VisibilityTimeoutS is int visibility)
        {
            parts.Add($"visibility {visibility} s");
        }

        if (this.MaxConcurrentOrchestrators is int orchestrators && this.MaxConcurrentActivities is int activities && this.MaxConcurrentEntities is int entities)
        {
            parts.Add($"concurrency {orchestrators}/{activities}/{entities} (orchestrators/activities/entities)");
        }

        if (this.Source is { } source)
        {
            parts.Add($"as {(source == SourceExtension ? "applied by the extension" : "read from " + source)}");
        }

        return string.Join(", ", parts);
    }
}

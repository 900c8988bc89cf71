using System.Text.RegularExpressions;
using FunctionsBench.BenchOrchestrator;

namespace FunctionsBench.Embedded;

/// <summary>
/// Settings of the embedded Durable Task Framework host (configuration section <c>Embedded</c>).
/// </summary>
/// <remarks>
/// Defaults measured on a 2-core machine with Azurite on disk (300 sequential activity calls and 300 sequential entity
/// calls in one orchestration): extended sessions cut both loops to less than half; one versus four partitions,
/// 100 ms to 1 s maximum polling and the control batch size made no difference beyond run-to-run noise, so the
/// defaults keep one control queue and a 1 s cap, which bound idle load on the single-threaded emulator and the
/// latency of the first message after an idle period.
/// </remarks>
public sealed partial class EmbeddedHostOptions
{
    /// <summary>The shortest <see cref="MessageVisibilityTimeout"/>: renewals come every 5 s, so less would let messages reappear mid-work.</summary>
    public static readonly TimeSpan MinMessageVisibilityTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The configuration section.</summary>
    public const string Section = "Embedded";

    /// <summary>The Azurite development account.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>The storage account the task hub lives in.</summary>
    public string ConnectionString { get; set; } = DevelopmentStorage;

    /// <summary>The task hub: 3 to 45 letters and digits, starting with a letter (Azure Storage's rule).</summary>
    public string TaskHubName { get; set; } = "FunctionsBench";

    /// <summary>Control queues (1 to 16). Fixed once the task hub exists; more only help many concurrent instances.</summary>
    public int PartitionCount { get; set; } = 1;

    /// <summary>
    /// Keeps orchestrations and entities in memory between episodes, so a sequential loop does not reload its
    /// history for each step.
    /// </summary>
    public bool ExtendedSessionsEnabled { get; set; } = true;

    /// <summary>How long an idle extended session stays in memory.</summary>
    public TimeSpan ExtendedSessionIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between polls of an idle queue (the provider backs off up to this value).</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a dequeued queue message stays invisible to other workers (control and work-item queues). After a crash
    /// the dead worker's messages reappear only after this long, so it bounds recovery together with the partition
    /// lease (30 s); the provider's default of 5 minutes made a restarted host wait that long. Work that runs longer
    /// is safe: the dispatchers renew the visibility of messages in progress every few seconds.
    /// </summary>
    public TimeSpan MessageVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages fetched from a control queue per poll.</summary>
    public int ControlQueueBatchSize { get; set; } = 32;

    /// <summary>Activity work items run at once.</summary>
    public int MaxConcurrentActivities { get; set; } = 10;

    /// <summary>Orchestration work items run at once.</summary>
    public int MaxConcurrentOrchestrations { get; set; } = 100;

    /// <summary>Entity work items run at once.</summary>
    public int MaxConcurrentEntities { get; set; } = 100;

    /// <summary>Entity operations per batch; null lets the provider decide.</summary>
    public int? MaxEntityOperationBatchSize { get; set; }

    /// <summary>How often the client polls the instance table while waiting for an instance (the longest interval).</summary>
    public TimeSpan ClientMaxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The worker's identity in partition leases; unique per process so that two hosts on one machine sharing a
    /// task hub do not mistake each other's leases for their own.
    /// </summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// <c>disk</c> or <c>memory</c>: how the Azurite behind <see cref="ConnectionString"/> keeps its data, when this
    /// process started it; null when not known. Recorded in the results, not used otherwise.
    /// </summary>
    public string? AzuriteMode { get; set; }

    /// <summary>The storage and provider settings as the results record them.</summary>
    public StorageSetup DescribeStorage()
    {
        (string? account, bool emulator) = StorageSetup.DescribeConnection(this.ConnectionString);
        return new StorageSetup(
            account, emulator, emulator ? this.AzuriteMode : null, this.PartitionCount, this.ExtendedSessionsEnabled,
            (int)this.MaxQueuePollingInterval.TotalMilliseconds, this.ControlQueueBatchSize);
    }

    /// <summary>Throws when a setting cannot work, naming the setting.</summary>
    public void Validate()
    {
        if (!TaskHubNamePattern().IsMatch(this.TaskHubName))
        {
            throw new ArgumentException($"Task hub name '{this.TaskHubName}' must be 3 to 45 letters and digits, starting with a letter.", nameof(this.TaskHubName));
        }

        if (this.PartitionCount is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(this.PartitionCount), this.PartitionCount, "Partition count must be 1 to 16.");
        }

        if (this.ControlQueueBatchSize is < 1 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(this.ControlQueueBatchSize), this.ControlQueueBatchSize, "Control queue batch size must be 1 to 32 (the queue service's maximum).");
        }

        if (this.MaxQueuePollingInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(this.MaxQueuePollingInterval), this.MaxQueuePollingInterval, "The polling interval must be positive.");
        }

        if (this.MessageVisibilityTimeout < MinMessageVisibilityTimeout || this.MessageVisibilityTimeout > TimeSpan.FromDays(7))
        {
            throw new ArgumentOutOfRangeException(nameof(this.MessageVisibilityTimeout), this.MessageVisibilityTimeout,
                $"The message visibility timeout must be {MinMessageVisibilityTimeout.TotalSeconds} s to 7 days: the dispatchers renew it every 5 s.");
        }

        if (this.MaxConcurrentActivities < 1 || this.MaxConcurrentOrchestrations < 1 || this.MaxConcurrentEntities < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(this.MaxConcurrentActivities), "Concurrency limits must be at least 1.");
        }

        if (this.AzuriteMode is not null && StorageSetup.ParseAzuriteMode(this.AzuriteMode) != this.AzuriteMode)
        {
            throw new ArgumentException($"Azurite mode '{this.AzuriteMode}' must be one of {string.Join(", ", StorageSetup.AzuriteModes)}.", nameof(this.AzuriteMode));
        }

        if (string.IsNullOrWhiteSpace(this.ConnectionString))
        {
            throw new ArgumentException("A storage connection string is required.", nameof(this.ConnectionString));
        }
    }

    /// <summary>A copy, so a caller can vary one setting without changing a shared instance.</summary>
    public EmbeddedHostOptions Clone() => (EmbeddedHostOptions)this.MemberwiseClone();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    private static partial Regex TaskHubNamePattern();
}

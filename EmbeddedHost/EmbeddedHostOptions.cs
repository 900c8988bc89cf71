using System.Globalization;
using System.Text.RegularExpressions;
using FunctionsBench.BenchOrchestrator;
using FunctionsBench.Embedded.Durable;

namespace FunctionsBench.Embedded;

/// <summary>
/// What the embedded host runs on: the storage account, the host.json whose <c>extensions</c> section configures the
/// Durable Functions extension (as under <c>func start</c>), and single keys set on top of it (the CLI's flags).
/// </summary>
public sealed partial class EmbeddedHostOptions
{
    /// <summary>The Azurite development account.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>The storage account the task hub lives in (the app's <c>AzureWebJobsStorage</c>).</summary>
    public string ConnectionString { get; set; } = DevelopmentStorage;

    /// <summary>The host.json to apply; the repository's when null.</summary>
    public string? HostJsonPath { get; set; }

    /// <summary>The task hub (<c>durableTask:hubName</c>); host.json's when null.</summary>
    public string? TaskHubName { get; set; }

    /// <summary>Control queues of a new task hub (<c>durableTask:storageProvider:partitionCount</c>), 1 to 16; host.json's when null.</summary>
    public int? PartitionCount { get; set; }

    /// <summary><c>durableTask:extendedSessionsEnabled</c>; host.json's when null.</summary>
    public bool? ExtendedSessionsEnabled { get; set; }

    /// <summary><c>durableTask:storageProvider:maxQueuePollingInterval</c>; host.json's when null.</summary>
    public TimeSpan? MaxQueuePollingInterval { get; set; }

    /// <summary><c>durableTask:storageProvider:controlQueueBatchSize</c>, 1 to 32; host.json's when null.</summary>
    public int? ControlQueueBatchSize { get; set; }

    /// <summary>
    /// Any other host.json keys below <c>extensions</c> to set, e.g. <c>durableTask:maxConcurrentActivityFunctions</c>;
    /// applied after host.json and before the properties above.
    /// </summary>
    public Dictionary<string, string?> ExtensionSettings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// <c>disk</c> or <c>memory</c>: how the Azurite behind <see cref="ConnectionString"/> keeps its data, when this
    /// process started it; null when not known. Recorded in the results, not used otherwise.
    /// </summary>
    public string? AzuriteMode { get; set; }

    /// <summary>The host.json path in force.</summary>
    public string ResolveHostJsonPath() => this.HostJsonPath ?? HostJsonSettings.FindDefault();

    /// <summary>The keys this object sets on top of host.json, as WebJobs configuration keys.</summary>
    public IReadOnlyDictionary<string, string?> Overrides()
    {
        var keys = this.ExtensionSettings.ToDictionary(p => $"{HostJsonSettings.WebJobsSection}:extensions:{p.Key}", p => p.Value, StringComparer.OrdinalIgnoreCase);
        void Set(string key, string? value)
        {
            if (value is not null)
            {
                keys[$"{HostJsonSettings.DurableTaskPath}:{key}"] = value;
            }
        }

        Set("hubName", this.TaskHubName);
        Set("storageProvider:partitionCount", this.PartitionCount?.ToString(CultureInfo.InvariantCulture));
        Set("extendedSessionsEnabled", this.ExtendedSessionsEnabled?.ToString());
        Set("storageProvider:maxQueuePollingInterval", this.MaxQueuePollingInterval?.ToString("c", CultureInfo.InvariantCulture));
        Set("storageProvider:controlQueueBatchSize", this.ControlQueueBatchSize?.ToString(CultureInfo.InvariantCulture));
        return keys;
    }

    /// <summary>Throws when a setting cannot work, naming the setting.</summary>
    public void Validate()
    {
        if (this.TaskHubName is { } hub && !TaskHubNamePattern().IsMatch(hub))
        {
            throw new ArgumentException($"Task hub name '{hub}' must be 3 to 45 letters and digits, starting with a letter.", nameof(this.TaskHubName));
        }

        if (this.PartitionCount is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(this.PartitionCount), this.PartitionCount, "Partition count must be 1 to 16.");
        }

        if (this.ControlQueueBatchSize is < 1 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(this.ControlQueueBatchSize), this.ControlQueueBatchSize, "Control queue batch size must be 1 to 32 (the queue service's maximum).");
        }

        if (this.MaxQueuePollingInterval is { } polling && polling <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(this.MaxQueuePollingInterval), polling, "The polling interval must be positive.");
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

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    private static partial Regex TaskHubNamePattern();
}

using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

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

    /// <summary>Log how the task hub's partitions are shared among its workers whenever that changes (<c>serve</c> does).</summary>
    public bool ReportPartitions { get; set; }

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

    /// <summary>Whether <paramref name="name"/> is a valid task hub name: 3 to 45 letters and digits, starting with a letter.</summary>
    internal static bool IsTaskHubName(string name) => TaskHubNamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    private static partial Regex TaskHubNamePattern();
}

/// <summary>Checks the embedded host's options, naming each setting that cannot work.</summary>
public sealed class EmbeddedHostOptionsValidator : IValidateOptions<EmbeddedHostOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, EmbeddedHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.TaskHubName is { } hub && !EmbeddedHostOptions.IsTaskHubName(hub))
        {
            failures.Add($"Task hub name '{hub}' must be 3 to 45 letters and digits, starting with a letter.");
        }

        if (options.PartitionCount is < 1 or > 16)
        {
            failures.Add($"Partition count {options.PartitionCount} must be 1 to 16.");
        }

        if (options.ControlQueueBatchSize is < 1 or > 32)
        {
            failures.Add($"Control queue batch size {options.ControlQueueBatchSize} must be 1 to 32 (the queue service's maximum).");
        }

        if (options.MaxQueuePollingInterval is { } polling && polling <= TimeSpan.Zero)
        {
            failures.Add($"The polling interval ({polling.TotalMilliseconds} ms) must be positive.");
        }

        if (options.AzuriteMode is not null && StorageSetup.ParseAzuriteMode(options.AzuriteMode) != options.AzuriteMode)
        {
            failures.Add($"Azurite mode '{options.AzuriteMode}' must be one of {string.Join(", ", StorageSetup.AzuriteModes)}.");
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("A storage connection string is required.");
        }

        if (options.HostJsonPath is { } path && !File.Exists(path))
        {
            failures.Add($"host.json file '{path}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

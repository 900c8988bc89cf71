namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// The settings the Durable Functions extension applied, as it reports them itself when it starts (its "Durable extension
/// configuration loaded" event carries its options and the storage provider's, defaults filled in and adjustments made,
/// such as extended sessions turned off for a runtime that does not support them). Read from the event rather than
/// recomputed from host.json, so the results say what ran.
/// </summary>
/// <param name="Json">The extension's configuration document (camelCase, as the extension writes it).</param>
public sealed record ExtensionConfiguration(JsonElement Json)
{
    /// <summary>The task hub.</summary>
    public string HubName => this.Json.GetProperty("hubName").GetString() ?? string.Empty;

    /// <summary>Whether orchestrations and entities stay in memory between episodes.</summary>
    public bool ExtendedSessions => this.Json.GetProperty("extendedSessionsEnabled").GetBoolean();

    /// <summary>Activity work items run at once.</summary>
    public int? MaxConcurrentActivities => Int(this.Json, "maxConcurrentActivityFunctions");

    /// <summary>Orchestration work items run at once.</summary>
    public int? MaxConcurrentOrchestrators => Int(this.Json, "maxConcurrentOrchestratorFunctions");

    /// <summary>Entity work items run at once.</summary>
    public int? MaxConcurrentEntities => Int(this.Json, "maxConcurrentEntityFunctions");

    /// <summary>Control queues.</summary>
    public int? PartitionCount => Int(this.Provider, "partitionCount");

    /// <summary>The longest wait between polls of an idle queue.</summary>
    public TimeSpan? MaxQueuePollingInterval => Span(this.Provider, "maxQueuePollingInterval");

    /// <summary>Control-queue messages fetched per poll.</summary>
    public int? ControlQueueBatchSize => Int(this.Provider, "controlQueueBatchSize");

    /// <summary>How long a dequeued control-queue message stays invisible to other workers.</summary>
    public TimeSpan? ControlQueueVisibilityTimeout => Span(this.Provider, "controlQueueVisibilityTimeout");

    /// <summary>How long a dequeued work-item message stays invisible to other workers.</summary>
    public TimeSpan? WorkItemQueueVisibilityTimeout => Span(this.Provider, "workItemQueueVisibilityTimeout");

    private JsonElement? Provider => this.Json.TryGetProperty("storageProvider", out JsonElement provider) && provider.ValueKind == JsonValueKind.Object ? provider : null;

    private static int? Int(JsonElement? node, string name)
        => node is { } n && n.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private static TimeSpan? Span(JsonElement? node, string name)
        => node is { } n && n.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            && TimeSpan.TryParse(value.GetString(), CultureInfo.InvariantCulture, out TimeSpan span) ? span : null;
}

/// <summary>
/// Catches the Durable Functions extension's configuration event in the host's logging pipeline (whatever the log
/// levels say: it listens to the event itself, not to what is printed).
/// </summary>
public sealed class ExtensionConfigurationCapture : ILoggerProvider
{
    /// <summary>The extension's log category.</summary>
    public const string Category = "Host.Triggers.DurableTask";

    private readonly TaskCompletionSource<ExtensionConfiguration> captured = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The configuration, once the extension has reported it.</summary>
    public Task<ExtensionConfiguration> Configuration => this.captured.Task;

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => categoryName == Category ? new Listener(this) : NullListener.Instance;

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private void Offer(object? state)
    {
        // The event's structured state: the message template and its arguments, the configuration being "details".
        if (state is IReadOnlyList<KeyValuePair<string, object?>> fields
            && fields.FirstOrDefault(f => f.Key == "{OriginalFormat}").Value is string format
            && format.StartsWith("Durable extension configuration loaded", StringComparison.Ordinal)
            && fields.FirstOrDefault(f => f.Key == "details").Value is string details)
        {
            using JsonDocument document = JsonDocument.Parse(details);
            this.captured.TrySetResult(new ExtensionConfiguration(document.RootElement.Clone()));
        }
    }

    private sealed class Listener(ExtensionConfigurationCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Offer(state);
    }

    private sealed class NullListener : ILogger
    {
        public static readonly NullListener Instance = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}

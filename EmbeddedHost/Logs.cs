namespace FunctionsBench.Embedded;

/// <summary>The embedded host's log messages.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Task hub {TaskHub} deleted")]
    public static partial void TaskHubDeleted(this ILogger logger, string taskHub);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Reusing the storage emulator already listening on 127.0.0.1 ports {BlobPort}, {QueuePort}, {TablePort}")]
    public static partial void AzuriteReused(this ILogger logger, int blobPort, int queuePort, int tablePort);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Installing the pinned storage emulator (npm ci) in {Directory}")]
    public static partial void NpmInstalling(this ILogger logger, string directory);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Starting Azurite (data: {DataLocation})")]
    public static partial void AzuriteStarting(this ILogger logger, string dataLocation);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Azurite (process {ProcessId}) ready in {ElapsedMs} ms")]
    public static partial void AzuriteStarted(this ILogger logger, int processId, long elapsedMs);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Azurite (process {ProcessId}) stopped")]
    public static partial void AzuriteStopped(this ILogger logger, int processId);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "Azurite (process {ProcessId}) ignored SIGTERM for {Timeout}; killing it")]
    public static partial void AzuriteKilled(this ILogger logger, int processId, TimeSpan timeout);

    [LoggerMessage(EventId = 16, Level = LogLevel.Debug, Message = "azurite: {Line}")]
    public static partial void AzuriteOutput(this ILogger logger, string line);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Listening on {Address}: task hub {TaskHub}, settings from {HostJson}")]
    public static partial void Listening(this ILogger logger, string address, string taskHub, string hostJson);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Rejected {Method} {Path} from {RemoteAddress}: missing or wrong function key")]
    public static partial void KeyRejected(this ILogger logger, string method, string path, string? remoteAddress);
}

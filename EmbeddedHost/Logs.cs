namespace FunctionsBench.Embedded;

/// <summary>The embedded host's log messages.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Task hub {TaskHub} deleted")]
    public static partial void TaskHubDeleted(this ILogger logger, string taskHub);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Reusing the storage emulator already listening on 127.0.0.1 ports {BlobPort}, {QueuePort}, {TablePort}; it was not started by a host of this repository, so it is left running")]
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

    [LoggerMessage(EventId = 17, Level = LogLevel.Information, Message = "Sharing Azurite (process {ProcessId}) on 127.0.0.1:{BlobPort} with host process(es) {Hosts}; the last host to stop stops it")]
    public static partial void AzuriteShared(this ILogger logger, int processId, int blobPort, string hosts);

    [LoggerMessage(EventId = 18, Level = LogLevel.Warning, Message = "Found Azurite (process {ProcessId}, data {DataLocation}) still running on 127.0.0.1:{BlobPort}, left behind by host process(es) {GoneHosts} that are gone (killed or crashed); reusing it, and it stops when the last host using it stops")]
    public static partial void AzuriteOrphaned(this ILogger logger, int processId, int blobPort, string dataLocation, string goneHosts);

    [LoggerMessage(EventId = 19, Level = LogLevel.Information, Message = "Azurite (process {ProcessId}) left running for host process(es) {Hosts} that still use it")]
    public static partial void AzuriteLeftRunning(this ILogger logger, int processId, string hosts);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Azurite holds {Messages} messages in the queues of {HubCount} other task hub(s) ({Hubs}): leftovers of earlier runs (or the work of other hosts sharing it) slow every queue call on Azurite. A fresh data folder (--azurite-data) avoids them.")]
    public static partial void AzuriteLeftovers(this ILogger logger, long messages, int hubCount, string hubs);

    [LoggerMessage(EventId = 23, Level = LogLevel.Information, Message = "Azurite holds no messages of other task hubs")]
    public static partial void AzuriteClean(this ILogger logger);

    [LoggerMessage(EventId = 24, Level = LogLevel.Warning, Message = "Could not look for other task hubs' messages in Azurite: {Reason}")]
    public static partial void AzuriteLeftoversUnknown(this ILogger logger, string reason);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Listening on {Address}: task hub {TaskHub}, settings from {HostJson}")]
    public static partial void Listening(this ILogger logger, string address, string taskHub, string hostJson);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Rejected {Method} {Path} from {RemoteAddress}: missing or wrong function key")]
    public static partial void KeyRejected(this ILogger logger, string method, string path, string? remoteAddress);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Storage has not answered since {Since:HH:mm:ss} UTC ({Failed} requests failed); the storage provider keeps retrying, and a unit running now includes the outage in its time")]
    public static partial void StorageNotAnswering(this ILogger logger, DateTime since, int failed);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Storage answers again after an outage of {Seconds:0.0} s ({Failed} requests failed meanwhile); work resumes")]
    public static partial void StorageAnswersAgain(this ILogger logger, double seconds, int failed);

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Partitions of task hub {TaskHub}: {Sharing} (this worker is {Worker} and owns {Owned} of {Total})")]
    public static partial void PartitionsShared(this ILogger logger, string taskHub, string sharing, string worker, int owned, int total);

    [LoggerMessage(EventId = 41, Level = LogLevel.Debug, Message = "Could not read the partition table ({Type}: {Reason}); trying again")]
    public static partial void PartitionTableUnreadable(this ILogger logger, string type, string reason);
}

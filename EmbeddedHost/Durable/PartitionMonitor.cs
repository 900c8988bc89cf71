using Azure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// Logs how the task hub's partitions are shared among its workers whenever that changes: the second worker joining,
/// the provider balancing leases, a dead worker's partitions taken over. What <c>serve</c> says to whoever runs several.
/// </summary>
internal sealed class PartitionMonitor(EmbeddedHostOptions options, ExtensionConfigurationCapture capture, ILogger<PartitionMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>What a read of the partition table meets when storage does not answer; the monitor must outlive it.</summary>
    internal static bool IsStorageUnavailable(Exception e, CancellationToken stoppingToken) => e switch
    {
        RequestFailedException or HttpRequestException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(inner => IsStorageUnavailable(inner, stoppingToken)),
        OperationCanceledException => !stoppingToken.IsCancellationRequested,
        _ => false,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string worker = PartitionTable.WorkerName(Environment.ProcessId);
        string? last = null;
        try
        {
            string hub = (await capture.Configuration.WaitAsync(stoppingToken)).HubName;
            using var timer = new PeriodicTimer(Interval);
            do
            {
                IReadOnlyList<PartitionLease> leases;
                try
                {
                    leases = await PartitionTable.ReadAsync(options.ConnectionString, hub, stoppingToken);
                }
                catch (Exception e) when (IsStorageUnavailable(e, stoppingToken))
                {
                    // Storage is down (the SDK's retries ran out: an AggregateException of connection failures) or
                    // answered an error: the outage monitor says so, and the leases show again once it answers.
                    logger.PartitionTableUnreadable(e.GetType().Name, e.Message);
                    continue;
                }

                string sharing = PartitionTable.Describe(leases);
                if (leases.Count > 0 && sharing != last)
                {
                    logger.PartitionsShared(hub, sharing, worker, leases.Count(l => l.Owner == worker), leases.Count);
                    last = sharing;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops.
        }
    }
}

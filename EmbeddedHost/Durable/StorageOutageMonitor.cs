using FunctionsBench.BenchOrchestrator;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// Says in the host's log when the task hub's storage stops answering and when it answers again: the Azure Storage
/// provider retries on its own through an outage, so without this the host would look idle, and the figures of a unit
/// that ran through one would look like slow storage.
/// </summary>
internal sealed class StorageOutageMonitor(StorageRequestLog requests, ILogger<StorageOutageMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReportAfter = TimeSpan.FromSeconds(StorageFaults.OutageSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval);
        DateTime? outageSince = null;
        int failed = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                (DateTime? lastAnswer, int failuresSince, DateTime? firstFailure) = requests.Health();
                if (outageSince is null && failuresSince > 0 && firstFailure is { } since && DateTime.UtcNow - since >= ReportAfter)
                {
                    outageSince = since;
                    logger.StorageNotAnswering(since, failuresSince);
                }
                else if (outageSince is { } start && failuresSince == 0 && lastAnswer is { } answer)
                {
                    logger.StorageAnswersAgain((answer - start).TotalSeconds, failed);
                    outageSince = null;
                }

                failed = failuresSince > 0 ? failuresSince : failed;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops.
        }
    }
}

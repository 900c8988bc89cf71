using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace FunctionsBench.Embedded.Run;

/// <summary>
/// Samples the task hub's queue lengths while a run goes: the control queues (<c>{hub}-control-00</c> ..) summed and the
/// work-item queue (<c>{hub}-workitems</c>), from the queues' approximate message counts. Three metadata reads per sample,
/// a negligible load next to the provider's own traffic.
/// </summary>
public sealed class QueueDepthSampler(string connectionString, string taskHub, TimeSpan interval)
{
    private readonly List<(DateTime At, int Control, int WorkItems)> samples = [];

    /// <summary>The samples so far (UTC time of each, control messages, work-item messages).</summary>
    public IReadOnlyList<(DateTime At, int Control, int WorkItems)> Samples
    {
        get
        {
            lock (this.samples)
            {
                return [.. this.samples];
            }
        }
    }

    /// <summary>The last error a sample met, if any (samples that fail are skipped).</summary>
    public string? LastError { get; private set; }

    /// <summary>Samples until <paramref name="cancellationToken"/> is cancelled; never throws for a failed sample.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var options = new QueueClientOptions();
        options.Diagnostics.ApplicationId = StorageOperations.BenchClientPrefix + "inspect";
        var service = new QueueServiceClient(connectionString, options);
        string prefix = taskHub.ToLowerInvariant();
        QueueClient workItems = service.GetQueueClient(prefix + "-workitems");
        List<QueueClient> control = [];
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                if (control.Count == 0)
                {
                    // The host creates the control queues when it starts the task hub: look again until they are there.
                    await foreach (QueueItem queue in service.GetQueuesAsync(prefix: prefix + "-control-", cancellationToken: cancellationToken))
                    {
                        control.Add(service.GetQueueClient(queue.Name));
                    }
                }

                DateTime at = DateTime.UtcNow;
                int controlDepth = 0;
                foreach (QueueClient queue in control)
                {
                    controlDepth += (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
                }

                int workItemDepth = (await workItems.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
                lock (this.samples)
                {
                    this.samples.Add((at, controlDepth, workItemDepth));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RequestFailedException e)
            {
                this.LastError = $"{e.Status} {e.ErrorCode}: {e.Message.Split('\n')[0]}";
            }
            catch (Exception e) when (e is HttpRequestException or AggregateException)
            {
                this.LastError = e.Message;
            }
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

using System.Globalization;
using Azure;
using FunctionsBench.Embedded.Run;
using Microsoft.Extensions.Logging;

namespace FunctionsBench.Embedded.Azurite;

/// <summary>
/// Messages that other task hubs left in the local Azurite's queues. Azurite answers every queue call more slowly the
/// more messages it holds, in any queue, so a crashed run's leftovers slow the next run down: the host says so when it
/// starts rather than measuring it silently.
/// </summary>
internal static class AzuriteLeftovers
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly string[] QueueMarkers = ["-control-", "-workitems"];

    /// <summary>Looks at every queue of <paramref name="azurite"/> and logs the other task hubs' messages, if any.</summary>
    public static async Task ReportAsync(AzuriteProcess azurite, string ownTaskHub, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        IReadOnlyDictionary<string, int> depths;
        try
        {
            depths = await new TaskHubResources(azurite.ConnectionString).QueueDepthsAsync(timeout.Token);
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.AzuriteLeftoversUnknown(e.Message);
            return;
        }

        IReadOnlyList<(string Hub, long Messages)> others = OtherHubs(depths, ownTaskHub);
        if (others.Count > 0)
        {
            string hubs = string.Join(", ", others.Take(5).Select(h => string.Create(CultureInfo.InvariantCulture, $"{h.Hub}: {h.Messages:N0}")))
                + (others.Count > 5 ? ", ..." : string.Empty);
            logger.AzuriteLeftovers(others.Sum(h => h.Messages), others.Count, hubs);
        }
        else if (azurite.Origin != AzuriteOrigin.Started)
        {
            logger.AzuriteClean();
        }
    }

    /// <summary>
    /// The task hubs other than <paramref name="ownTaskHub"/> with messages waiting, most first, from queue lengths by
    /// queue name (the provider's <c>{hub}-control-NN</c> and <c>{hub}-workitems</c>; other queues are not a hub's).
    /// </summary>
    public static IReadOnlyList<(string Hub, long Messages)> OtherHubs(IReadOnlyDictionary<string, int> depths, string ownTaskHub)
    {
        ArgumentNullException.ThrowIfNull(depths);
        ArgumentNullException.ThrowIfNull(ownTaskHub);
        string own = ownTaskHub.ToLowerInvariant();
        return [.. depths
            .Select(d => (Hub: HubOf(d.Key), Messages: (long)d.Value))
            .Where(d => d.Hub is not null && d.Hub != own && d.Messages > 0)
            .GroupBy(d => d.Hub!, StringComparer.Ordinal)
            .Select(g => (Hub: g.Key, Messages: g.Sum(d => d.Messages)))
            .OrderByDescending(h => h.Messages)
            .ThenBy(h => h.Hub, StringComparer.Ordinal)];
    }

    private static string? HubOf(string queue)
    {
        foreach (string marker in QueueMarkers)
        {
            int at = queue.LastIndexOf(marker, StringComparison.Ordinal);
            if (at > 0 && (marker != "-workitems" || at + marker.Length == queue.Length))
            {
                return queue[..at];
            }
        }

        return null;
    }
}

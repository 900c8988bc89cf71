namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// The storage requests the task hub's clients made while one unit ran, per invocation (<c>storageRequests</c> in the
/// results document). Counted by the embedded host's storage clients, so only <c>./bench run</c> on the embedded host
/// has them. Everything the provider did in the unit's time window counts: the steps of the invocations, the idle
/// pollers of the other queues, lease renewals, and the harness's own checkpoints and timing records.
/// </summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Invocations">N.</param>
/// <param name="Repetition">The repetition.</param>
/// <param name="Seconds">The unit's window: from the start of its first invocation to the end of its last.</param>
/// <param name="Requests">Requests in the window, retries included.</param>
/// <param name="PerInvocation"><see cref="Requests"/> / N.</param>
/// <param name="ByOperation">Requests per invocation by operation (<c>queue.receive</c>, <c>table.batch</c>, ...).</param>
public sealed record StorageRequestCount(
    string Scenario, int Invocations, int Repetition, double Seconds, long Requests, double PerInvocation, IReadOnlyDictionary<string, double> ByOperation);

/// <summary>The storage operations a request is counted as.</summary>
public static class StorageOperations
{
    /// <summary>
    /// The application id prefix (the start of the User-Agent) of the bench's own storage clients: the floors and the
    /// CLI's inspection. Requests that carry it are not the provider's and are not counted.
    /// </summary>
    public const string BenchClientPrefix = "functionsbench-";

    /// <summary>A receive that returned no message (told apart by the response; see <see cref="Classify"/>).</summary>
    public const string EmptyReceive = "queue.receive.empty";

    /// <summary>Every operation name, in the order tables show them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        "queue.receive", "queue.receive.empty", "queue.send", "queue.delete", "queue.update", "queue.other",
        "table.batch", "table.write", "table.query", "table.other",
        "blob.lease", "blob.other", "blob.read", "blob.write",
    ];

    /// <summary>
    /// The operation a request to <paramref name="service"/> (<c>queue</c>, <c>table</c> or <c>blob</c>) with
    /// <paramref name="method"/> and <paramref name="uri"/> performs, by the services' REST API shapes. A receive is
    /// <c>queue.receive</c> here; whoever sees the response makes an empty one <see cref="EmptyReceive"/>.
    /// </summary>
    public static string Classify(string service, string method, Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        string path = uri.AbsolutePath.TrimEnd('/');
        string query = uri.Query;
        switch (service)
        {
            case "queue":
                if (path.EndsWith("/messages", StringComparison.Ordinal))
                {
                    return method switch
                    {
                        "GET" when !query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase) => "queue.receive",
                        "POST" => "queue.send",
                        _ => "queue.other",
                    };
                }

                return path.Contains("/messages/", StringComparison.Ordinal)
                    ? method switch { "DELETE" => "queue.delete", "PUT" => "queue.update", _ => "queue.other" }
                    : "queue.other";
            case "table":
                if (path.EndsWith("$batch", StringComparison.Ordinal))
                {
                    return "table.batch";
                }

                return method switch
                {
                    "GET" => "table.query",
                    "POST" or "PUT" or "MERGE" or "PATCH" or "DELETE" when path.Contains('(', StringComparison.Ordinal) || method == "POST" => "table.write",
                    _ => "table.other",
                };
            case "blob":
                // Get Blob and Put Blob (no comp=) are priced apart from the rest (reads and writes against "other" on v2).
                return query.Contains("comp=lease", StringComparison.OrdinalIgnoreCase) ? "blob.lease"
                    : query.Contains("comp=", StringComparison.OrdinalIgnoreCase) ? "blob.other"
                    : method switch { "GET" => "blob.read", "PUT" => "blob.write", _ => "blob.other" };
            default:
                throw new ArgumentOutOfRangeException(nameof(service), service, "The service must be queue, table or blob.");
        }
    }

    /// <summary>
    /// Counts <paramref name="requests"/> (time and operation of each, sorted or not) in each unit's window, the window
    /// running from the start of the unit's first event to the end of its last.
    /// </summary>
    public static IReadOnlyList<StorageRequestCount> PerUnit(IReadOnlyList<(DateTime At, string Operation)> requests, IEnumerable<EventRecord> events)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(events);
        (DateTime At, string Operation)[] sorted = [.. requests.OrderBy(r => r.At)];
        DateTime[] times = [.. sorted.Select(r => r.At)];
        var counts = new List<StorageRequestCount>();
        foreach (UnitWindow unit in UnitWindow.Of(events))
        {
            int first = LowerBound(times, unit.From);
            int end = LowerBound(times, unit.To.AddTicks(1));
            int n = unit.Invocations;
            Dictionary<string, int> perOperation = sorted[first..end].GroupBy(r => r.Operation).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            counts.Add(new StorageRequestCount(
                unit.Scenario, n, unit.Repetition, (unit.To - unit.From).TotalSeconds, end - first, Math.Round((double)(end - first) / n, 3),
                All.Where(perOperation.ContainsKey).ToDictionary(o => o, o => Math.Round((double)perOperation[o] / n, 3), StringComparer.Ordinal)));
        }

        return counts;
    }

    private static int LowerBound(DateTime[] times, DateTime value)
    {
        int index = Array.BinarySearch(times, value);
        if (index < 0)
        {
            return ~index;
        }

        while (index > 0 && times[index - 1] == value)
        {
            index--;
        }

        return index;
    }
}

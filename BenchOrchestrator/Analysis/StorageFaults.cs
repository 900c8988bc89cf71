using System.Globalization;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>One HTTP attempt of the task hub's storage clients: when it ended, what it did and what came back.</summary>
/// <param name="At">When the answer (or the failure) came.</param>
/// <param name="Operation">One of <see cref="StorageOperations.All"/>.</param>
/// <param name="Status">The HTTP status; null when no response came (connection refused or reset, timed out).</param>
public sealed record StorageAttempt(DateTime At, string Operation, int? Status);

/// <summary>
/// The storage faults a unit met, from every attempt the host's storage clients made: what failed, and the longest
/// stretch in which storage answered nothing but failures (an outage, as the host saw it).
/// </summary>
public static class StorageFaults
{
    /// <summary>A stretch of failures at least this long is an outage: the unit's time includes it.</summary>
    public const double OutageSeconds = 5;

    /// <summary>
    /// Whether an attempt failed: no response, a 5xx, 408 (timeout) or 429 (throttled), the answers the Azure SDK retries.
    /// Other 4xx answers (a missing blob, a lost lease) are storage answering.
    /// </summary>
    public static bool IsFailure(int? status) => status is null or >= 500 or 408 or 429;

    /// <summary>
    /// The faults in each unit's window (from the start of its first event to the end of its last), one entry per unit,
    /// faultless units included.
    /// </summary>
    public static IReadOnlyList<StorageFaultCount> PerUnit(IReadOnlyList<StorageAttempt> attempts, IEnumerable<EventRecord> events)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        ArgumentNullException.ThrowIfNull(events);
        StorageAttempt[] sorted = [.. attempts.OrderBy(a => a.At)];
        var counts = new List<StorageFaultCount>();
        foreach (UnitWindow unit in UnitWindow.Of(events))
        {
            StorageAttempt[] window = [.. sorted.SkipWhile(a => a.At < unit.From).TakeWhile(a => a.At <= unit.To)];
            counts.Add(new StorageFaultCount(
                unit.Scenario, unit.Invocations, unit.Repetition,
                window.Count(a => IsFailure(a.Status)), window.Count(a => a.Status is null), Math.Round(LongestGap(window).TotalSeconds, 3)));
        }

        return counts;
    }

    /// <summary>
    /// The longest stretch from a failed attempt to the next successful one (or, when none follows, to the last failure),
    /// with nothing but failures between: how long storage did not answer.
    /// </summary>
    public static TimeSpan LongestGap(IReadOnlyList<StorageAttempt> sortedAttempts)
    {
        ArgumentNullException.ThrowIfNull(sortedAttempts);
        TimeSpan longest = TimeSpan.Zero;
        DateTime? firstFailure = null;
        DateTime lastFailure = default;
        foreach (StorageAttempt attempt in sortedAttempts)
        {
            if (IsFailure(attempt.Status))
            {
                firstFailure ??= attempt.At;
                lastFailure = attempt.At;
            }
            else if (firstFailure is { } since)
            {
                longest = Max(longest, attempt.At - since);
                firstFailure = null;
            }
        }

        return firstFailure is { } open ? Max(longest, lastFailure - open) : longest;
    }

    /// <summary>What a reader of the unit's figures must know: null when the unit met no fault.</summary>
    public static string? Describe(StorageFaultCount faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        if (faults.Failed == 0)
        {
            return null;
        }

        string unit = string.Create(CultureInfo.InvariantCulture, $"{faults.Scenario} N={faults.Invocations} repetition {faults.Repetition}");
        string requests = string.Create(
            CultureInfo.InvariantCulture, $"{faults.Failed} storage requests failed ({faults.NoResponse} without a response) and were retried");
        return faults.IncludesOutage
            ? string.Create(CultureInfo.InvariantCulture, $"{unit}: its time includes a storage outage of {faults.LongestGapSeconds:0.0} s; {requests}.")
            : string.Create(CultureInfo.InvariantCulture, $"{unit}: {requests}; its time includes those retries.");
    }

    /// <summary>One sentence per unit of <paramref name="inspection"/> that met storage faults (the report and the console print them).</summary>
    public static IReadOnlyList<string> Notes(Inspection? inspection)
        => [.. inspection?.StorageFaults?.Select(Describe).OfType<string>() ?? []];

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// The stretch of a run in which a unit's invocations were timed: from the start of its first event to the end of its
/// last. What happened outside every window (warm-ups, floors, timing records being written, results computed) is in
/// no figure of the run.
/// </summary>
public sealed record UnitWindow(string Scenario, int Invocations, int Repetition, DateTime From, DateTime To)
{
    /// <summary>Every unit's window, in the order the units ran.</summary>
    public static IReadOnlyList<UnitWindow> Of(IEnumerable<EventRecord> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return [.. events.GroupBy(e => (e.Scenario, e.Invocations, e.Repetition))
            .Select(u => new UnitWindow(u.Key.Scenario, u.Key.Invocations, u.Key.Repetition, u.Min(e => e.Start), u.Max(e => e.End)))
            .OrderBy(w => w.From)];
    }

    /// <summary>Seconds from <paramref name="runStart"/> to the window's start.</summary>
    public double FromSeconds(DateTime runStart) => (this.From - runStart).TotalSeconds;

    /// <summary>Seconds from <paramref name="runStart"/> to the window's end.</summary>
    public double ToSeconds(DateTime runStart) => (this.To - runStart).TotalSeconds;
}

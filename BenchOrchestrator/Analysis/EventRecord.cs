namespace FunctionsBench.BenchOrchestrator;

/// <summary>One timed invocation with its unit: a row of <c>events.csv</c> (<see cref="Csv.EventsCsv"/>) and of <c>GET /api/bench/{id}/events</c>.</summary>
/// <param name="Users">The unit's user loops (cart scenarios); 1 for the greeter's.</param>
public sealed record EventRecord(string Scenario, int Invocations, int Repetition, int Sequence, DateTime Start, DateTime End, double LatencyMs, int Users = 1)
{
    /// <summary>The event of <paramref name="record"/> in <paramref name="unit"/>.</summary>
    public static EventRecord From(BenchUnit unit, TimingRecord record)
        => new(unit.Scenario, unit.Invocations, unit.Repetition, record.Sequence, record.Start, record.End, record.LatencyMs, unit.Users);
}

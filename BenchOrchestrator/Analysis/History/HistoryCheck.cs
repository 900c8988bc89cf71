namespace FunctionsBench.BenchOrchestrator.History;

/// <summary>
/// The <c>historyCheck</c> section of <c>results.json</c>: the recorded Durable Functions timings compared with the rows
/// the Azure Storage provider wrote to the task hub's History table (where the thesis read its timings by hand).
/// Written by <c>./bench run</c> after the run; the orchestration's own output (the status URI) does not carry it.
/// </summary>
/// <param name="Available">Whether the History table could be read; when false, <paramref name="Notes"/> say why.</param>
/// <param name="TaskHub">The task hub whose <c>{hub}History</c> table was read.</param>
/// <param name="Rows">History rows read for the run (the control orchestration's partition and its sub-orchestrations').</param>
/// <param name="Results">One entry per Durable Functions (scenario, N, repetition).</param>
/// <param name="Notes">What the History table kept and what the figures mean; a mismatch is explained here, not hidden.</param>
public sealed record HistoryCheck(
    bool Available,
    string TaskHub,
    int Rows,
    IReadOnlyList<HistoryCheckResult> Results,
    IReadOnlyList<string> Notes)
{
    /// <summary>The Azure Storage provider's History table of <paramref name="taskHub"/>.</summary>
    public static string TableName(string taskHub) => taskHub + "History";

    /// <summary>A check that could not read the History table, with the reason.</summary>
    public static HistoryCheck Unavailable(string taskHub, string reason) => new(false, taskHub, 0, [], [reason]);
}

/// <summary>The History cross-check of one (scenario, N, repetition).</summary>
/// <param name="Scenario">The Durable Functions scenario.</param>
/// <param name="Invocations">N.</param>
/// <param name="Repetition">The repetition, from 1.</param>
/// <param name="Recorded">Timing records of the unit (the events the comparison starts from).</param>
/// <param name="Matched">Recorded invocations whose call and answer rows were found in the History table.</param>
/// <param name="EventsPerInvocation">Formula 4.1's events per invocation (df-activity 4, df-suborchestration 12, df-entity 4).</param>
/// <param name="MeasuredEventsPerInvocation">
/// History rows per invocation as written: rows between the first and the last matched call of a generation divided by the
/// invocations between them (plus, for df-suborchestration, the sub-orchestration's own rows); null when fewer than two
/// consecutive calls of a generation survive.
/// </param>
/// <param name="CalleeEventsPerInvocation">df-suborchestration only: the mean rows of a sub-orchestration's own History partition.</param>
/// <param name="StartGapMs">|recorded start - the call's row| (TaskScheduled, SubOrchestrationInstanceCreated, EventSent); null when nothing matched.</param>
/// <param name="EndGapMs">|recorded end - the answer's row| (TaskCompleted, SubOrchestrationInstanceCompleted, EventRaised); null when nothing matched.</param>
/// <param name="Note">Why fewer invocations matched than were recorded, or why the measured count differs from the formula.</param>
public sealed record HistoryCheckResult(
    string Scenario,
    int Invocations,
    int Repetition,
    int Recorded,
    int Matched,
    int EventsPerInvocation,
    double? MeasuredEventsPerInvocation,
    double? CalleeEventsPerInvocation,
    GapStatistics? StartGapMs,
    GapStatistics? EndGapMs,
    string? Note);

/// <summary>Median and maximum of absolute gaps, in milliseconds.</summary>
public sealed record GapStatistics(double Median, double Max)
{
    /// <summary>The statistics of <paramref name="gapsMs"/> (absolute values taken); null when there are none.</summary>
    public static GapStatistics? Of(IEnumerable<double> gapsMs)
    {
        double[] sorted = gapsMs.Select(Math.Abs).Order().ToArray();
        return sorted.Length == 0 ? null : new GapStatistics(Statistics.Percentile(sorted, 50), sorted[^1]);
    }
}

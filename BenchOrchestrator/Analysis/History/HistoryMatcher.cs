namespace FunctionsBench.BenchOrchestrator.History;

/// <summary>
/// Matches the recorded timings of the scenarios that have a <see cref="Scenario.History"/> rule with the History rows of
/// the run: each invocation's call row (found by the scenario's rule) and answer row in its segment orchestration's
/// partition, then the gaps between recorded and written times and the rows written per invocation.
/// </summary>
/// <remarks>
/// Every segment is an orchestration instance of its own whose id names its unit and index
/// (<see cref="InstanceIds.Segment"/>), and it makes its unit's invocations <c>first .. first + count - 1</c> in order,
/// so the i-th call row of a segment is invocation <c>first + i</c>; a df-suborchestration call also names its
/// invocation in the called instance's id. Recorded starts are the orchestration clock, the episode's
/// OrchestratorStarted time, which precedes the call row by the microseconds the episode takes.
/// </remarks>
public static class HistoryMatcher
{
    /// <summary>The check's note for a run without a Durable Functions unit.</summary>
    public const string NoDurableUnit = "No Durable Functions unit ran, so there is nothing to match: the statefun scenario writes no History.";

    private const string TimingsEntityPrefix = "@timingsentity@";

    /// <summary>Cross-checks <paramref name="events"/> of <paramref name="document"/> against <paramref name="rows"/>.</summary>
    /// <param name="document">The run's results document (units, settings, run id).</param>
    /// <param name="events">Every recorded invocation of the run.</param>
    /// <param name="rows">The History rows of the run's orchestrations (every instance id <c>{runId}</c> or <c>{runId}:...</c>).</param>
    /// <param name="taskHub">The task hub the rows were read from.</param>
    public static HistoryCheck Check(ResultsDocument document, IReadOnlyList<EventRecord> events, IReadOnlyList<HistoryRow> rows, string taskHub)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(rows);
        string runId = document.RunId;
        var units = document.Results.Where(r => Scenarios.Get(r.Scenario).History is not null).Select(r => new BenchUnit(r.Scenario, r.Invocations, r.Repetition)).Distinct().ToList();
        var tallies = units.ToDictionary(u => u, _ => new UnitTally());
        Dictionary<BenchUnit, Dictionary<int, EventRecord>> recorded = events
            .GroupBy(e => new BenchUnit(e.Scenario, e.Invocations, e.Repetition))
            .Where(g => tallies.ContainsKey(g.Key))
            .ToDictionary(g => g.Key, g => g.GroupBy(e => e.Sequence).ToDictionary(s => s.Key, s => s.First()));

        int segments = 0;
        foreach (IGrouping<string, HistoryRow> partition in rows.GroupBy(r => r.InstanceId))
        {
            if (InstanceIds.Parse(runId, partition.Key) is not ({ } unit, int segment, null) || !tallies.TryGetValue(unit, out UnitTally? tally))
            {
                continue;
            }

            segments++;
            Scenario scenario = Scenarios.Get(unit.Scenario);
            IReadOnlyList<(int First, int Count)> plan = BenchPlan.Segments(document.Settings, scenario, unit.Invocations);
            if (segment >= plan.Count)
            {
                continue;
            }

            HistoryRow[] ordered = [.. partition.OrderBy(r => r.Sequence)];
            List<Call> calls = CallsOf(ordered, scenario, runId, plan[segment].First);
            recorded.TryGetValue(unit, out Dictionary<int, EventRecord>? byUnit);
            foreach (Call call in calls)
            {
                if (call.End is { } end && byUnit is not null && byUnit.TryGetValue(call.Sequence, out EventRecord? e))
                {
                    tally.StartGaps.Add((e.Start - call.Start).TotalMilliseconds);
                    tally.EndGaps.Add((e.End - end).TotalMilliseconds);
                }
            }

            // Rows per invocation: between a segment's first and last call everything the loop wrote counts.
            if (calls.Count >= 2)
            {
                Call first = calls[0], last = calls[^1];
                tally.RowSpan += last.Row - first.Row;
                tally.InvocationSpan += last.Sequence - first.Sequence;
                tally.FlushRowsInSpan += ordered.Count(r => r.Sequence > first.Row && r.Sequence < last.Row && r.EventType == "EventSent"
                    && (r.TargetInstanceId?.StartsWith(TimingsEntityPrefix, StringComparison.OrdinalIgnoreCase) ?? false));
            }
        }

        // A df-suborchestration invocation's own instance: its rows, by the invocation its id names.
        foreach (IGrouping<string, HistoryRow> callee in rows.GroupBy(r => r.InstanceId))
        {
            if (InstanceIds.Parse(runId, callee.Key) is ({ } unit, null, int _) && tallies.TryGetValue(unit, out UnitTally? tally))
            {
                tally.CalleeRows.Add(callee.Count());
            }
        }

        List<HistoryCheckResult> results = [.. units.Select(unit => Result(unit, recorded.TryGetValue(unit, out var r) ? r.Count : 0, tallies[unit], document.Settings))];
        return new HistoryCheck(true, taskHub, rows.Count, results, Notes(document, segments));
    }

    /// <summary>
    /// The benchmark's calls in one segment's rows (in row order), as the scenario's rule finds them, numbered from
    /// <paramref name="first"/> in the order they were made unless the rule says otherwise, each with its answer's time
    /// when it is there.
    /// </summary>
    private static List<Call> CallsOf(IReadOnlyList<HistoryRow> ordered, Scenario scenario, string runId, int first)
    {
        HistoryRule rule = scenario.History ?? throw new ArgumentException($"Scenario '{scenario.Name}' has no History rule.", nameof(scenario));
        var calls = new List<Call>();
        var byTaskId = new Dictionary<int, Call>();
        var byRequestId = new Dictionary<string, Call>(StringComparer.Ordinal);
        foreach (HistoryRow row in ordered)
        {
            if (rule.CallOf(row, new HistorySegment(runId, scenario, first + calls.Count)) is { } found)
            {
                var call = new Call(found.Sequence, row.Sequence, row.Timestamp);
                calls.Add(call);
                if (found.RequestId is { } requestId)
                {
                    byRequestId[requestId] = call;
                }
                else
                {
                    byTaskId[row.EventId] = call;
                }

                continue;
            }

            switch (row.EventType)
            {
                case "TaskCompleted" or "SubOrchestrationInstanceCompleted" when row.TaskScheduledId is int id && byTaskId.TryGetValue(id, out Call? call):
                    call.End = row.Timestamp;
                    break;
                case "EventRaised" when row.Name is { } name && byRequestId.TryGetValue(name, out Call? call):
                    call.End = row.Timestamp;
                    break;
            }
        }

        return calls;
    }

    private static HistoryCheckResult Result(BenchUnit unit, int recorded, UnitTally t, BenchSettings settings)
    {
        Scenario scenario = Scenarios.Get(unit.Scenario);
        double? callee = t.CalleeRows.Count > 0 ? t.CalleeRows.Average() : null;
        double? caller = t.InvocationSpan > 0 ? (double)t.RowSpan / t.InvocationSpan : null;
        bool countsCallee = scenario.History?.CountsCalleeRows ?? false;
        double? measured = caller is double c ? c + (countsCallee ? callee ?? 0 : 0) : null;

        var notes = new List<string>();
        if (t.Matched < recorded)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{recorded - t.Matched} of {recorded} recorded invocations have no call and answer rows in their segment's History (purged, or the segment's rows were not read)"));
        }

        if (measured is double m && Math.Abs(m - scenario.EventsPerInvocation) >= 0.005)
        {
            double flush = t.InvocationSpan > 0 ? (double)t.FlushRowsInSpan / t.InvocationSpan : 0;
            string why = flush > 0
                ? string.Create(CultureInfo.InvariantCulture, $"; {flush:0.###} of them are the EventSent rows of the timing records' flush signals (one per timings chunk every {settings.CheckpointEvery} invocations), which formula 4.1 does not count")
                : settings.Parallelism > 1
                    ? "; with parallelism > 1 several calls share one episode's OrchestratorStarted and OrchestratorCompleted rows"
                    : string.Empty;
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"measured {m:0.###} rows per invocation against the formula's {scenario.EventsPerInvocation}{why}"));
        }

        return new HistoryCheckResult(
            unit.Scenario, unit.Invocations, unit.Repetition, recorded, t.Matched, scenario.EventsPerInvocation, measured,
            countsCallee ? callee : null,
            GapStatistics.Of(t.StartGaps), GapStatistics.Of(t.EndGaps), notes.Count == 0 ? null : string.Join("; ", notes) + ".");
    }

    private static List<string> Notes(ResultsDocument document, int segments)
    {
        int planned = document.Results.Where(r => Scenarios.Get(r.Scenario).History is not null)
            .Sum(r => BenchPlan.Segments(document.Settings, Scenarios.Get(r.Scenario), r.Invocations).Count);
        if (planned == 0)
        {
            return [NoDurableUnit];
        }

        return
        [
            string.Create(CultureInfo.InvariantCulture, $"History rows of {segments} of the {planned} segment orchestrations of the Durable Functions units were read; each segment is an instance of its own, so no later one overwrites its rows."),
            "Recorded times are the orchestration clock (the episode's OrchestratorStarted time). Start gap: recorded start to the call's row "
            + "(TaskScheduled, SubOrchestrationInstanceCreated, EventSent); end gap: the answer's row (TaskCompleted, SubOrchestrationInstanceCompleted, "
            + "EventRaised) to recorded end, i.e. how long the answer waited before the orchestration ran again. Times are History's _Timestamp column.",
            "Events per invocation counts every row between a segment's first and last call, so anything else the loop writes shows up; "
            + "the greeter entity's own partition is rewritten per batch and not counted; statefun writes no History.",
        ];
    }

    private sealed class Call(int sequence, long row, DateTime start)
    {
        public int Sequence { get; } = sequence;

        public long Row { get; } = row;

        public DateTime Start { get; } = start;

        public DateTime? End { get; set; }
    }

    private sealed class UnitTally
    {
        public List<double> StartGaps { get; } = [];

        public List<double> EndGaps { get; } = [];

        public List<int> CalleeRows { get; } = [];

        public int Matched => this.StartGaps.Count;

        public long RowSpan { get; set; }

        public long InvocationSpan { get; set; }

        public long FlushRowsInSpan { get; set; }
    }
}

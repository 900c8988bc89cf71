using System.Globalization;
using System.Text.Json;

namespace FunctionsBench.BenchOrchestrator.History;

/// <summary>
/// Matches the recorded timings of the Durable Functions scenarios with the History rows of the run: each invocation's call
/// row and answer row in the control orchestration's partition (and, for sub-orchestrations, their own partitions), then
/// the gaps between recorded and written times and the rows written per invocation.
/// </summary>
/// <remarks>
/// A sub-orchestration's instance id names its invocation (<c>{runId}:{N}:{rep}:{seq}</c>). Activity and entity calls carry
/// no sequence number, so a generation's calls (which are consecutive invocations of one unit, in scheduling order) are
/// aligned with the recorded invocations: the offset whose recorded starts are closest to the call rows' times wins.
/// Recorded starts are the orchestration clock, the episode's OrchestratorStarted time, which precedes the call row by
/// the microseconds the episode takes, so the right offset gives gaps far below one invocation's latency.
/// </remarks>
public static class HistoryMatcher
{
    /// <summary>Recorded invocations whose start is this close to a generation's first call are tried as its anchor.</summary>
    public static readonly TimeSpan AnchorWindow = TimeSpan.FromSeconds(1);

    /// <summary>An alignment whose median start gap exceeds this is rejected: the calls are then left unmatched.</summary>
    public const double AlignmentToleranceMs = 100;

    private const string EntityPrefix = "@greeterentity@";
    private const string TimingsPrefix = "@timingsentity@";

    /// <summary>Cross-checks <paramref name="events"/> of <paramref name="document"/> against <paramref name="rows"/>.</summary>
    /// <param name="document">The run's results document (units, settings, run id).</param>
    /// <param name="events">Every recorded invocation of the run.</param>
    /// <param name="rows">The History rows of the run's control orchestration and of its sub-orchestrations.</param>
    /// <param name="taskHub">The task hub the rows were read from.</param>
    public static HistoryCheck Check(ResultsDocument document, IReadOnlyList<EventRecord> events, IReadOnlyList<HistoryRow> rows, string taskHub)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(rows);
        string runId = document.RunId;
        List<BenchUnit> units = document.Results.Where(r => IsDurable(r.Scenario))
            .Select(r => new BenchUnit(r.Scenario, r.Invocations, r.Repetition)).Distinct().ToList();
        Dictionary<BenchUnit, Dictionary<int, EventRecord>> recorded = events.Where(e => IsDurable(e.Scenario))
            .GroupBy(e => new BenchUnit(e.Scenario, e.Invocations, e.Repetition))
            .ToDictionary(g => g.Key, g => g.GroupBy(e => e.Sequence).ToDictionary(s => s.Key, s => s.First()));

        var tally = units.ToDictionary(u => u, _ => new UnitTally());
        UnitTally TallyOf(BenchUnit unit) => tally.TryGetValue(unit, out UnitTally? t) ? t : tally[unit] = new UnitTally();

        List<HistoryRow> control = rows.Where(r => r.InstanceId == runId).ToList();
        Dictionary<string, CalleeHistory> callees = rows.Where(r => r.InstanceId.StartsWith(runId + ":", StringComparison.Ordinal))
            .GroupBy(r => r.InstanceId).ToDictionary(g => g.Key, g => CalleeHistory.Of(g));
        var subCallsById = new Dictionary<string, Call>(StringComparer.Ordinal);

        List<IGrouping<string, HistoryRow>> generations = control.GroupBy(r => r.ExecutionId).ToList();
        foreach (IGrouping<string, HistoryRow> generation in generations)
        {
            HistoryRow[] ordered = generation.OrderBy(r => r.Sequence).ToArray();
            List<Call> calls = CallsOf(ordered, runId);

            var activity = calls.Where(c => c.Kind == CallKind.Activity).ToList();
            if (activity.Count > 0)
            {
                AssignAligned(activity, units.Where(u => u.Scenario == Scenarios.DfActivity), recorded);
            }

            foreach (IGrouping<BenchUnit?, Call> entity in calls.Where(c => c.Kind == CallKind.Entity).GroupBy(c => c.Unit))
            {
                if (entity.Key is { } unit)
                {
                    AssignAligned(entity.ToList(), [unit], recorded);
                }
            }

            foreach (Call sub in calls.Where(c => c.Kind == CallKind.SubOrchestration && c.Target is not null))
            {
                subCallsById[sub.Target!] = sub;
            }

            // Rows written per invocation: between consecutive calls of one unit, everything the loop wrote counts.
            foreach (IGrouping<BenchUnit?, Call> unitCalls in calls.Where(c => c.Unit is not null && c.Sequence is not null).GroupBy(c => c.Unit))
            {
                Call[] bySequence = unitCalls.OrderBy(c => c.Sequence).ToArray();
                if (bySequence.Length < 2)
                {
                    continue;
                }

                Call first = bySequence[0], last = bySequence[^1];
                UnitTally t = TallyOf(unitCalls.Key!);
                t.RowSpan += last.Row - first.Row;
                t.InvocationSpan += last.Sequence!.Value - first.Sequence!.Value;
                t.FlushRowsInSpan += ordered.Count(r => r.Sequence > first.Row && r.Sequence < last.Row && r.EventType == "EventSent"
                    && (r.TargetInstanceId?.StartsWith(TimingsPrefix, StringComparison.Ordinal) ?? false));
            }

            foreach (Call call in calls.Where(c => c.Kind != CallKind.SubOrchestration && c.Unit is not null && c.Sequence is not null && c.End is not null))
            {
                if (recorded.TryGetValue(call.Unit!, out Dictionary<int, EventRecord>? byUnit) && byUnit.TryGetValue(call.Sequence!.Value, out EventRecord? e))
                {
                    TallyOf(call.Unit!).Add(e, call.Start, call.End!.Value, onCallee: false);
                }
            }
        }

        foreach (BenchUnit unit in units.Where(u => u.Scenario == Scenarios.DfSubOrchestration))
        {
            if (!recorded.TryGetValue(unit, out Dictionary<int, EventRecord>? byUnit))
            {
                continue;
            }

            UnitTally t = TallyOf(unit);
            foreach (EventRecord e in byUnit.Values)
            {
                string id = SubOrchestrationId(runId, unit, e.Sequence);
                callees.TryGetValue(id, out CalleeHistory? callee);
                if (callee is not null)
                {
                    t.CalleeRows.Add(callee.Rows);
                }

                if (subCallsById.TryGetValue(id, out Call? call) && call.End is not null)
                {
                    t.Add(e, call.Start, call.End.Value, onCallee: false);
                }
                else if (callee is { Started: { } started, Completed: { } completed })
                {
                    t.Add(e, started, completed, onCallee: true);
                }
            }
        }

        var results = units.Select(unit => Result(unit, recorded.TryGetValue(unit, out var r) ? r.Count : 0, tally[unit], document.Settings)).ToList();
        return new HistoryCheck(true, taskHub, rows.Count, results, Notes(document, generations, callees.Count));
    }

    /// <summary>
    /// The recorded invocation the first of <paramref name="callStarts"/> is, chosen among <paramref name="candidates"/>:
    /// the unit and first sequence number whose recorded starts have the smallest median gap to the calls' times; null
    /// when no candidate is within <see cref="AnchorWindow"/> or the best median gap exceeds <see cref="AlignmentToleranceMs"/>.
    /// </summary>
    public static (BenchUnit Unit, int FirstSequence)? Align(
        IReadOnlyList<DateTime> callStarts, IEnumerable<(BenchUnit Unit, IReadOnlyDictionary<int, EventRecord> Events)> candidates)
    {
        ArgumentNullException.ThrowIfNull(callStarts);
        ArgumentNullException.ThrowIfNull(candidates);
        if (callStarts.Count == 0)
        {
            return null;
        }

        (BenchUnit Unit, int FirstSequence)? best = null;
        double bestGap = double.MaxValue;
        foreach ((BenchUnit unit, IReadOnlyDictionary<int, EventRecord> byUnit) in candidates)
        {
            foreach (EventRecord anchor in byUnit.Values.Where(e => (e.Start - callStarts[0]).Duration() <= AnchorWindow))
            {
                var gaps = new List<double>(callStarts.Count);
                for (int i = 0; i < callStarts.Count; i++)
                {
                    if (byUnit.TryGetValue(anchor.Sequence + i, out EventRecord? e))
                    {
                        gaps.Add(Math.Abs((e.Start - callStarts[i]).TotalMilliseconds));
                    }
                }

                double median = GapStatistics.Of(gaps)?.Median ?? double.MaxValue;
                if (median < bestGap)
                {
                    (bestGap, best) = (median, (unit, anchor.Sequence));
                }
            }
        }

        return bestGap <= AlignmentToleranceMs ? best : null;
    }

    /// <summary>A df-suborchestration invocation's instance id, as the control orchestration names it.</summary>
    public static string SubOrchestrationId(string runId, BenchUnit unit, int sequence)
        => string.Create(CultureInfo.InvariantCulture, $"{runId}:{unit.Invocations}:{unit.Repetition}:{sequence}");

    private static bool IsDurable(string scenario) => scenario is Scenarios.DfActivity or Scenarios.DfSubOrchestration or Scenarios.DfEntity;

    private static void AssignAligned(List<Call> calls, IEnumerable<BenchUnit> units, Dictionary<BenchUnit, Dictionary<int, EventRecord>> recorded)
    {
        var candidates = units.Where(recorded.ContainsKey).Select(u => (u, (IReadOnlyDictionary<int, EventRecord>)recorded[u]));
        if (Align(calls.Select(c => c.Start).ToList(), candidates) is not { } aligned)
        {
            return;
        }

        for (int i = 0; i < calls.Count; i++)
        {
            calls[i].Unit = aligned.Unit;
            calls[i].Sequence = aligned.FirstSequence + i;
        }
    }

    /// <summary>The benchmark's calls in one generation's rows (in row order), each with its answer's time when it is there.</summary>
    private static List<Call> CallsOf(IReadOnlyList<HistoryRow> ordered, string runId)
    {
        var calls = new List<Call>();
        var byTaskId = new Dictionary<int, Call>();
        var byRequestId = new Dictionary<string, Call>(StringComparer.Ordinal);
        foreach (HistoryRow row in ordered)
        {
            switch (row.EventType)
            {
                case "TaskScheduled" when row.Name == Scenarios.ActivityName:
                    byTaskId[row.EventId] = Add(new Call(CallKind.Activity, row.Sequence, row.Timestamp));
                    break;
                case "SubOrchestrationInstanceCreated" when row.TargetInstanceId is { } target && target.StartsWith(runId + ":", StringComparison.Ordinal):
                    byTaskId[row.EventId] = Add(new Call(CallKind.SubOrchestration, row.Sequence, row.Timestamp) { Target = target, Unit = SubOrchestrationUnit(target), Sequence = SubOrchestrationSequence(target) });
                    break;
                case "EventSent" when row.TargetInstanceId is { } target && target.StartsWith(EntityPrefix, StringComparison.OrdinalIgnoreCase)
                    && EntityRequest(row.Input) is ("Login", { } requestId):
                    byRequestId[requestId] = Add(new Call(CallKind.Entity, row.Sequence, row.Timestamp) { Target = target, Unit = EntityUnit(target) });
                    break;
                case "TaskCompleted" or "SubOrchestrationInstanceCompleted" when row.TaskScheduledId is int id && byTaskId.TryGetValue(id, out Call? call):
                    call.End = row.Timestamp;
                    break;
                case "EventRaised" when row.Name is { } name && byRequestId.TryGetValue(name, out Call? call):
                    call.End = row.Timestamp;
                    break;
            }
        }

        return calls;

        Call Add(Call call)
        {
            calls.Add(call);
            return call;
        }
    }

    /// <summary>An entity request's operation and request id, from an EventSent row's input.</summary>
    private static (string? Operation, string? Id) EntityRequest(string? input)
    {
        if (string.IsNullOrEmpty(input))
        {
            return (null, null);
        }

        try
        {
            using JsonDocument json = JsonDocument.Parse(input);
            JsonElement root = json.RootElement;
            return root.ValueKind != JsonValueKind.Object ? (null, null) : (
                root.TryGetProperty("op", out JsonElement op) && op.ValueKind == JsonValueKind.String ? op.GetString() : null,
                root.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary><c>@greeterentity@{userId}@{runId}.{N}.{rep}</c> to its unit.</summary>
    private static BenchUnit? EntityUnit(string target)
    {
        string[] parts = target.Split('.');
        return parts.Length >= 3 && int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int rep)
            ? new BenchUnit(Scenarios.DfEntity, n, rep)
            : null;
    }

    /// <summary><c>{runId}:{N}:{rep}:{seq}</c> to its unit.</summary>
    private static BenchUnit? SubOrchestrationUnit(string target)
    {
        string[] parts = target.Split(':');
        return parts.Length == 4 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int rep)
            ? new BenchUnit(Scenarios.DfSubOrchestration, n, rep)
            : null;
    }

    private static int? SubOrchestrationSequence(string target)
    {
        string[] parts = target.Split(':');
        return parts.Length == 4 && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out int sequence) ? sequence : null;
    }

    private static HistoryCheckResult Result(BenchUnit unit, int recorded, UnitTally t, BenchSettings settings)
    {
        int formula = Scenarios.EventsPerInvocation(unit.Scenario);
        double? callee = t.CalleeRows.Count > 0 ? t.CalleeRows.Average() : null;
        double? caller = t.InvocationSpan > 0 ? (double)t.RowSpan / t.InvocationSpan : null;
        double? measured = caller is double c ? c + (unit.Scenario == Scenarios.DfSubOrchestration ? callee ?? 0 : 0) : null;

        var notes = new List<string>();
        if (recorded > 0 && t.Matched == 0)
        {
            notes.Add("no call and answer rows of these invocations are left in the control orchestration's History partition: a later generation overwrote them (ContinueAsNew writes the next generation from row 0)");
        }
        else if (t.Matched < recorded)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{recorded - t.Matched} of {recorded} invocations' rows were overwritten by a later generation of the control orchestration"));
        }

        if (t.MatchedOnCallee > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{t.MatchedOnCallee} matched on the sub-orchestration's own rows (ExecutionStarted, ExecutionCompleted) because the caller's rows were overwritten"));
        }

        if (unit.Scenario == Scenarios.DfSubOrchestration && caller is null && callee is double own)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"the caller's rows per invocation could not be counted; the sub-orchestrations' own partitions hold {own:0.##} rows each"));
        }

        if (measured is double m && Math.Abs(m - formula) >= 0.005)
        {
            double flush = t.InvocationSpan > 0 ? (double)t.FlushRowsInSpan / t.InvocationSpan : 0;
            string why = flush > 0
                ? string.Create(CultureInfo.InvariantCulture, $"; {flush:0.###} of them are the EventSent rows of the timing records' flush signals (one per timings chunk every {settings.CheckpointEvery} invocations), which formula 4.1 does not count")
                : settings.Parallelism > 1
                    ? "; with parallelism > 1 several calls share one episode's OrchestratorStarted and OrchestratorCompleted rows"
                    : string.Empty;
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"measured {m:0.###} rows per invocation against the formula's {formula}{why}"));
        }

        return new HistoryCheckResult(
            unit.Scenario, unit.Invocations, unit.Repetition, recorded, t.Matched, formula, measured,
            unit.Scenario == Scenarios.DfSubOrchestration ? callee : null,
            GapStatistics.Of(t.StartGaps), GapStatistics.Of(t.EndGaps), notes.Count == 0 ? null : string.Join("; ", notes) + ".");
    }

    private static List<string> Notes(ResultsDocument document, List<IGrouping<string, HistoryRow>> generations, int callees)
    {
        BenchSettings settings = document.Settings;
        IEnumerable<BenchUnit> units = BenchPlan.Units(settings);
        int expected = 1 + units.Sum(u => settings.Mode == BenchModes.Checkpointed
            ? (u.Invocations + settings.CheckpointEvery - 1) / settings.CheckpointEvery
            : 1);
        var notes = new List<string>();
        if (generations.Count == 0)
        {
            notes.Add($"The History table has no rows of the control orchestration {document.RunId} (purged, or another task hub).");
        }
        else
        {
            long newest = generations.Select(g => g.Max(r => r.Sequence) + 1).Max();
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"The control orchestration's History partition holds rows of {generations.Count} of the {expected} executions (ContinueAsNew generations) the run went through, {generations.Sum(g => g.Count())} rows, row keys 0 to {newest - 1}. ")
                + "On ContinueAsNew the Azure Storage provider writes the new generation from row key 0 over the previous rows and deletes nothing, "
                + "so an earlier generation keeps only its rows beyond every later generation's length (the sentinel row names the newest execution).");
        }

        notes.Add(string.Create(CultureInfo.InvariantCulture, $"Sub-orchestration instances keep their own History partitions ({callees} found); they are never overwritten by the caller's ContinueAsNew."));
        notes.Add("Recorded times are the orchestration clock (the episode's OrchestratorStarted time). Start gap: recorded start to the call's row "
            + "(TaskScheduled, SubOrchestrationInstanceCreated, EventSent); end gap: the answer's row (TaskCompleted, SubOrchestrationInstanceCompleted, "
            + "EventRaised) to recorded end, i.e. how long the answer waited before the orchestration ran again. Times are History's _Timestamp column.");
        notes.Add("Events per invocation counts every row between a generation's consecutive calls, so anything else the loop writes shows up; "
            + "the greeter entity's own partition is rewritten per batch and not counted; statefun writes no History.");
        return notes;
    }

    private enum CallKind
    {
        Activity,
        SubOrchestration,
        Entity,
    }

    private sealed class Call(CallKind kind, long row, DateTime start)
    {
        public CallKind Kind { get; } = kind;

        public long Row { get; } = row;

        public DateTime Start { get; } = start;

        public DateTime? End { get; set; }

        public string? Target { get; init; }

        public BenchUnit? Unit { get; set; }

        public int? Sequence { get; set; }
    }

    private sealed record CalleeHistory(int Rows, DateTime? Started, DateTime? Completed)
    {
        public static CalleeHistory Of(IEnumerable<HistoryRow> rows)
        {
            HistoryRow[] all = rows.ToArray();
            return new CalleeHistory(
                all.Length,
                all.FirstOrDefault(r => r.EventType == "ExecutionStarted")?.Timestamp,
                all.FirstOrDefault(r => r.EventType == "ExecutionCompleted")?.Timestamp);
        }
    }

    private sealed class UnitTally
    {
        public List<double> StartGaps { get; } = [];

        public List<double> EndGaps { get; } = [];

        public List<int> CalleeRows { get; } = [];

        public int Matched => this.StartGaps.Count;

        public int MatchedOnCallee { get; private set; }

        public long RowSpan { get; set; }

        public long InvocationSpan { get; set; }

        public long FlushRowsInSpan { get; set; }

        public void Add(EventRecord e, DateTime callRow, DateTime answerRow, bool onCallee)
        {
            this.StartGaps.Add((e.Start - callRow).TotalMilliseconds);
            this.EndGaps.Add((e.End - answerRow).TotalMilliseconds);
            this.MatchedOnCallee += onCallee ? 1 : 0;
        }
    }
}

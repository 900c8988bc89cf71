namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// How a unit's latency moved from its first tenth of invocations to its last, and what the storage did meanwhile. A
/// unit whose median latency rose by more than <see cref="LatencyDrift.Threshold"/> has a throughput that depends on N.
/// </summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Invocations">N.</param>
/// <param name="Repetition">The repetition.</param>
/// <param name="FirstTenthMedianMs">The median latency of the unit's first tenth of invocations (by sequence).</param>
/// <param name="LastTenthMedianMs">The median latency of its last tenth.</param>
/// <param name="HistoryRowsBefore">
/// History rows the run had written before the unit started (formula 4.1's events per invocation over every earlier
/// Durable Functions unit, warm-ups left out; every segment's rows are kept): the table the unit's queries run against.
/// </param>
/// <param name="Grew">
/// Storage requests per invocation that changed most between the first and the last tenth (operation, first, last),
/// from the embedded host's request log; empty without one.
/// </param>
public sealed record UnitDrift(
    string Scenario, int Invocations, int Repetition, double FirstTenthMedianMs, double LastTenthMedianMs, long HistoryRowsBefore,
    IReadOnlyList<OperationGrowth> Grew)
{
    /// <summary>Last tenth's median over the first's.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double Ratio => this.FirstTenthMedianMs > 0 ? this.LastTenthMedianMs / this.FirstTenthMedianMs : 1;

    /// <summary>Whether the rise is beyond <see cref="LatencyDrift.Threshold"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Flagged => this.Ratio > 1 + LatencyDrift.Threshold;

    /// <summary>One sentence: the rise, and what grew with it.</summary>
    public string Describe()
    {
        string text = string.Create(CultureInfo.InvariantCulture,
            $"{this.Scenario} N={this.Invocations} rep {this.Repetition}: median latency {Format.Sig(this.FirstTenthMedianMs)} ms in the first tenth, {Format.Sig(this.LastTenthMedianMs)} ms in the last ({this.Ratio:0.00}x)");
        if (Scenarios.IsKnown(this.Scenario) && Scenarios.Get(this.Scenario).IsDurable)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; the History table held about {this.HistoryRowsBefore:N0} rows of this run when the unit started");
        }

        if (this.Grew.Count > 0)
        {
            text += "; storage requests per invocation, first tenth -> last: " +
                string.Join(", ", this.Grew.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Operation} {g.First:0.0#} -> {g.Last:0.0#}")));
        }

        return text + ".";
    }
}

/// <summary>Storage requests per invocation of one operation in a unit's first tenth and its last.</summary>
/// <param name="Operation">The operation (<see cref="StorageOperations.All"/>).</param>
/// <param name="First">Requests per invocation in the first tenth's window.</param>
/// <param name="Last">Requests per invocation in the last tenth's window.</param>
public sealed record OperationGrowth(string Operation, double First, double Last);

/// <summary>Finds units whose latency rises within the unit (<see cref="UnitDrift"/>).</summary>
public static class LatencyDrift
{
    /// <summary>A rise of the median latency, last tenth over first, beyond this fraction is flagged (0.25: 25%).</summary>
    public const double Threshold = 0.25;

    /// <summary>Units with fewer invocations are not judged: a tenth of them is too few for a median.</summary>
    public const int MinimumInvocations = 50;

    /// <summary>The threshold in words, for the report and the console.</summary>
    public static string Rule => string.Create(
        CultureInfo.InvariantCulture,
        $"a unit is flagged when the median latency of its last tenth of invocations exceeds its first tenth's by more than {Threshold:0%} (units of at least {MinimumInvocations} invocations)");

    /// <summary>
    /// Every unit of at least <see cref="MinimumInvocations"/> events with its first and last tenth's medians, in run
    /// order; <paramref name="requests"/> (the embedded host's storage request log, may be empty) adds what grew.
    /// </summary>
    public static IReadOnlyList<UnitDrift> Of(IEnumerable<EventRecord> events, IReadOnlyList<(DateTime At, string Operation)>? requests = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        (DateTime At, string Operation)[] log = [.. (requests ?? []).OrderBy(r => r.At)];
        var drifts = new List<UnitDrift>();
        long historyRows = 0;
        foreach (IGrouping<(string Scenario, int Invocations, int Repetition), EventRecord> unit in events
            .GroupBy(e => (e.Scenario, e.Invocations, e.Repetition)).OrderBy(g => g.Min(e => e.Start)))
        {
            EventRecord[] ordered = [.. unit.OrderBy(e => e.Sequence)];
            bool durable = Scenarios.IsKnown(unit.Key.Scenario) && Scenarios.Get(unit.Key.Scenario).IsDurable;
            long before = historyRows;
            if (durable && unit.Key.Repetition > 0)
            {
                historyRows += (long)Scenarios.Get(unit.Key.Scenario).EventsPerInvocation * ordered.Length;
            }

            if (ordered.Length < MinimumInvocations || unit.Key.Repetition <= 0)
            {
                continue;
            }

            int tenth = ordered.Length / 10;
            EventRecord[] first = ordered[..tenth], last = ordered[^tenth..];
            drifts.Add(new UnitDrift(
                unit.Key.Scenario, unit.Key.Invocations, unit.Key.Repetition, Median(first), Median(last), before, Grew(log, first, last)));
        }

        return drifts;
    }

    private static double Median(EventRecord[] events)
    {
        double[] sorted = [.. events.Select(e => e.LatencyMs).Order()];
        return Statistics.Percentile(sorted, 50);
    }

    /// <summary>The three operations whose requests per invocation changed most from the first tenth's window to the last's.</summary>
    private static IReadOnlyList<OperationGrowth> Grew((DateTime At, string Operation)[] log, EventRecord[] first, EventRecord[] last)
    {
        if (log.Length == 0)
        {
            return [];
        }

        Dictionary<string, double> PerInvocation(EventRecord[] tenth)
        {
            DateTime from = tenth.Min(e => e.Start), to = tenth.Max(e => e.End);
            return log.Where(r => r.At >= from && r.At <= to).GroupBy(r => r.Operation)
                .ToDictionary(g => g.Key, g => (double)g.Count() / tenth.Length, StringComparer.Ordinal);
        }

        Dictionary<string, double> a = PerInvocation(first), b = PerInvocation(last);
        return [.. a.Keys.Union(b.Keys)
            .Select(o => (Operation: o, First: a.GetValueOrDefault(o), Last: b.GetValueOrDefault(o)))
            .Where(o => Math.Abs(o.Last - o.First) >= 0.05)
            .OrderByDescending(o => Math.Abs(o.Last - o.First)).Take(3).Select(o => new OperationGrowth(o.Operation, Math.Round(o.First, 3), Math.Round(o.Last, 3)))];
    }
}

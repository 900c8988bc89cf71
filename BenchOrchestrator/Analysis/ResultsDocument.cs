using FunctionsBench.BenchOrchestrator.Floors;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// The results of a run: the control orchestration's output, <c>GET /api/bench/{id}</c> and <c>results.json</c>. What
/// <c>./bench run</c> adds from outside the run is in <see cref="Inspection"/>. The field names are a public contract
/// (see the README).
/// </summary>
/// <param name="Floors">The storage and HTTP floors measured at the start of the run; null only in documents older than the floors.</param>
/// <param name="Storage">The storage account (Azurite and its mode, or a real account) and the provider settings of the run.</param>
/// <param name="Environment">The machine, the runtime and the component versions of the host that ran the run.</param>
/// <param name="StateFun">The StateFun endpoint the statefun scenario drove and what played the runtime; null without statefun.</param>
public sealed record ResultsDocument(
    string RunId,
    string Host,
    string StorageProvider,
    DateTime StartedAt,
    DateTime CompletedAt,
    BenchSettings Settings,
    IReadOnlyList<ScenarioResult> Results,
    IReadOnlyList<ScenarioSummary> Summary,
    BenchFloors? Floors = null,
    StorageSetup? Storage = null,
    RunEnvironment? Environment = null,
    StateFunEndpoint? StateFun = null);

/// <summary>One (scenario, N, repetition).</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Invocations">N.</param>
/// <param name="Repetition">The repetition, from 1.</param>
/// <param name="EventsPerInvocation">Formula 4.1's events per invocation for the scenario.</param>
/// <param name="Events">N x events per invocation.</param>
/// <param name="ExecutionSeconds">
/// From the start of the first invocation to the end of the last; for a unit with its floor in turns (statefun), less the
/// floor's slices between its chunks of logins.
/// </param>
/// <param name="EventsPerSecond">Throughput by formula 4.1: events / execution seconds.</param>
/// <param name="InvocationsPerSecond">N / execution seconds.</param>
/// <param name="Recorded">Timing records read back from the timings entities (equals N when nothing was lost).</param>
/// <param name="LatencyMs">Per-invocation latency statistics.</param>
/// <param name="StepsPerInvocation">Floor steps one invocation needs at minimum (<see cref="Scenario.StepsPerInvocation"/>).</param>
/// <param name="Efficiency">
/// invocations/s x steps per invocation / <paramref name="FloorRate"/>; null when no floor of the scenario's kind was measured.
/// </param>
/// <param name="FloorRate">The floor rate the efficiency is computed against (storage steps/s; HTTP requests/s for statefun).</param>
/// <param name="FloorSource">
/// <c>unit</c>: measured just before this unit; <c>turns</c>: measured in turns with the unit's chunks of logins
/// (statefun, <see cref="HttpFloorInTurns"/>); <c>run</c>: the run's start floor (the unit's could not be measured).
/// </param>
/// <param name="Users">User loops in flight (cart scenarios; 1 for the greeter's, and in documents older than the field).</param>
/// <param name="Invariants">The checks the unit's end made, each with what it found; null when the scenario makes none.</param>
/// <param name="Cart">A cart unit's own figures (checkouts/s, latency per operation kind); null for the greeter's.</param>
public sealed record ScenarioResult(
    string Scenario,
    int Invocations,
    int Repetition,
    int EventsPerInvocation,
    long Events,
    double ExecutionSeconds,
    double EventsPerSecond,
    double InvocationsPerSecond,
    int Recorded,
    LatencySummary LatencyMs,
    int StepsPerInvocation = 0,
    double? Efficiency = null,
    double? FloorRate = null,
    string? FloorSource = null,
    int Users = 1,
    IReadOnlyList<InvariantResult>? Invariants = null,
    CartFigures? Cart = null)
{
    /// <summary><see cref="FloorSource"/> of a floor measured just before the unit.</summary>
    public const string UnitFloor = "unit";

    /// <summary><see cref="FloorSource"/> of a floor measured in turns with the unit's logins.</summary>
    public const string TurnsFloor = "turns";

    /// <summary><see cref="FloorSource"/> of the run's start floor.</summary>
    public const string RunFloor = "run";

    /// <summary>
    /// Builds a result from a unit's measured span and its recorded latencies, with its efficiency against the floor
    /// measured in turns with it (<paramref name="floorInTurns"/>, whose slices are taken out of the span), else just
    /// before it (<paramref name="unitFloors"/>), else the run's (<paramref name="floors"/>).
    /// </summary>
    public static ScenarioResult From(
        BenchUnit unit, DateTime start, DateTime end, IReadOnlyCollection<double> latenciesMs, BenchFloors? floors = null, BenchFloors? unitFloors = null,
        HttpFloorInTurns? floorInTurns = null)
    {
        Scenario scenario = Scenarios.Get(unit.Scenario);
        int perInvocation = scenario.EventsPerInvocation;
        long events = (long)perInvocation * unit.Invocations;
        // The slices lie between the unit's logins whether or not they all succeeded; their time is not the logins'.
        double span = (end - start).TotalSeconds - (floorInTurns?.Seconds ?? 0);
        double? turnsRate = scenario.Floor == FloorKind.Http ? floorInTurns?.RequestsPerSecond : null;
        double seconds = Math.Max(span, 1e-6);
        double invocationsPerSecond = unit.Invocations / seconds;
        (double? rate, string? source) = turnsRate is double inTurns ? (inTurns, TurnsFloor)
            : FloorEfficiency.FloorRate(scenario, unitFloors) is double unitRate ? (unitRate, UnitFloor)
            : FloorEfficiency.FloorRate(scenario, floors) is double runRate ? (runRate, RunFloor) : ((double?)null, (string?)null);
        return new ScenarioResult(
            unit.Scenario, unit.Invocations, unit.Repetition, perInvocation, events, seconds,
            events / seconds, invocationsPerSecond, latenciesMs.Count, Statistics.Summarize(latenciesMs),
            scenario.StepsPerInvocation, FloorEfficiency.Of(scenario, invocationsPerSecond, rate), rate, source);
    }
}

/// <summary>One (scenario, N, users) over its repetitions. <c>cv</c> and <c>ci95</c> concern events per second.</summary>
/// <param name="Users">User loops of a cart scenario's units (1 for the greeter's).</param>
/// <param name="MeanEfficiency">The mean of the repetitions' efficiencies; null when any of them is null.</param>
/// <param name="MeanInvocationsPerSecond">The mean of the repetitions' invocations per second; null in documents older than the field.</param>
/// <param name="MeanLatencyMs">The mean of the repetitions' mean latencies; null in documents older than the field.</param>
public sealed record ScenarioSummary(
    string Scenario,
    int Invocations,
    int Repetitions,
    double MeanExecutionSeconds,
    double MeanEventsPerSecond,
    double? Cv,
    double? Ci95,
    double? MeanEfficiency = null,
    double? MeanInvocationsPerSecond = null,
    double? MeanLatencyMs = null,
    int Users = 1)
{
    /// <summary>Summaries of <paramref name="results"/> per (scenario, N, users), in the order the results first name them.</summary>
    public static IReadOnlyList<ScenarioSummary> Of(IEnumerable<ScenarioResult> results)
        => results
            .GroupBy(r => (r.Scenario, r.Invocations, r.Users))
            .Select(g =>
            {
                double[] throughput = g.Select(r => r.EventsPerSecond).ToArray();
                return new ScenarioSummary(
                    g.Key.Scenario, g.Key.Invocations, throughput.Length, g.Average(r => r.ExecutionSeconds), throughput.Average(),
                    Statistics.CoefficientOfVariation(throughput), Statistics.ConfidenceInterval95(throughput),
                    g.All(r => r.Efficiency.HasValue) ? g.Average(r => r.Efficiency!.Value) : null,
                    g.Average(r => r.InvocationsPerSecond), g.Average(r => r.LatencyMs.Mean), g.Key.Users);
            })
            .ToList();
}

namespace FunctionsBench.BenchOrchestrator.Cost;

/// <summary>One function execution the host dispatched: what kind, when it started and how long it ran.</summary>
/// <param name="Kind">One of <see cref="FunctionExecutions.Kinds"/>.</param>
/// <param name="Start">When the host called the function.</param>
/// <param name="Seconds">How long the call took, to the function's answer.</param>
public readonly record struct FunctionExecution(string Kind, DateTime Start, double Seconds);

/// <summary>Executions of one kind: how many, their summed time, and those shorter than the billing minimum.</summary>
/// <param name="Count">Executions.</param>
/// <param name="Seconds">Their execution time summed.</param>
/// <param name="UnderMinimum">Executions shorter than <see cref="FunctionExecutions.MinimumSeconds"/>.</param>
/// <param name="UnderMinimumSeconds">Their execution time summed.</param>
public sealed record ExecutionTally(long Count, double Seconds, long UnderMinimum, double UnderMinimumSeconds)
{
    /// <summary>No executions.</summary>
    public static readonly ExecutionTally None = new(0, 0, 0, 0);

    /// <summary>Seconds billed when every execution is billed at least <paramref name="minimumSeconds"/> (0 or <see cref="FunctionExecutions.MinimumSeconds"/>).</summary>
    public double BilledSeconds(double minimumSeconds)
    {
        if (minimumSeconds == 0)
        {
            return this.Seconds;
        }

        if (Math.Abs(minimumSeconds - FunctionExecutions.MinimumSeconds) > 1e-9)
        {
            throw new ArgumentOutOfRangeException(
                nameof(minimumSeconds), minimumSeconds, $"Executions are tallied against a minimum of {FunctionExecutions.MinimumSeconds * 1000} ms or none.");
        }

        return this.Seconds - this.UnderMinimumSeconds + (this.UnderMinimum * minimumSeconds);
    }
}

/// <summary>
/// The function executions the host dispatched while one unit ran (<c>executions</c> in inspection.json): orchestrator
/// episodes (every replay is an execution on the Consumption plan), activity executions, entity batches, and HTTP
/// requests to the StateFun endpoint (a remote function hosted as an HTTP-triggered Function). Like the storage requests,
/// everything in the unit's window counts: the harness's own timing flushes and checkpoints too.
/// </summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Invocations">N.</param>
/// <param name="Repetition">The repetition.</param>
/// <param name="ByKind">Executions of each of <see cref="FunctionExecutions.Kinds"/> in the window.</param>
/// <param name="OrchestratorStartedRows">
/// The independent count: History rows of type OrchestratorStarted whose time falls in the window (one per orchestrator
/// episode the Azure Storage provider ran for the run's instances); null when History was not read.
/// </param>
public sealed record ExecutionCount(string Scenario, int Invocations, int Repetition, IReadOnlyDictionary<string, ExecutionTally> ByKind, long? OrchestratorStartedRows = null)
{
    /// <summary>The tally of <paramref name="kind"/>, none when absent.</summary>
    public ExecutionTally Of(string kind) => this.ByKind.TryGetValue(kind, out ExecutionTally? tally) ? tally : ExecutionTally.None;

    /// <summary>Executions of every kind per invocation.</summary>
    public double PerInvocation => (double)this.ByKind.Values.Sum(t => t.Count) / this.Invocations;

    /// <summary>Executions of <paramref name="kind"/> per invocation.</summary>
    public double KindPerInvocation(string kind) => (double)this.Of(kind).Count / this.Invocations;
}

/// <summary>Counting dispatched function executions per unit.</summary>
public static class FunctionExecutions
{
    /// <summary>An orchestrator episode.</summary>
    public const string Orchestrator = "orchestrator";

    /// <summary>An activity execution.</summary>
    public const string Activity = "activity";

    /// <summary>An entity batch (one or more operations on one entity).</summary>
    public const string Entity = "entity";

    /// <summary>An HTTP request to the StateFun endpoint.</summary>
    public const string Http = "http";

    /// <summary>Every kind, in the order tables show them.</summary>
    public static readonly IReadOnlyList<string> Kinds = [Orchestrator, Activity, Entity, Http];

    /// <summary>
    /// The Consumption plan's minimum billed time per execution, 100 ms ("The minimum execution time and memory for a
    /// single function execution is 100 ms and 128 mb respectively", Azure Functions pricing page).
    /// </summary>
    public const double MinimumSeconds = 0.1;

    /// <summary>Counts <paramref name="executions"/> that started in each unit's window.</summary>
    public static IReadOnlyList<ExecutionCount> PerUnit(IReadOnlyList<FunctionExecution> executions, IEnumerable<EventRecord> events)
    {
        ArgumentNullException.ThrowIfNull(executions);
        ArgumentNullException.ThrowIfNull(events);
        FunctionExecution[] sorted = [.. executions.OrderBy(e => e.Start)];
        var counts = new List<ExecutionCount>();
        foreach (UnitWindow unit in UnitWindow.Of(events))
        {
            IEnumerable<FunctionExecution> inWindow = sorted.SkipWhile(e => e.Start < unit.From).TakeWhile(e => e.Start <= unit.To);
            counts.Add(new ExecutionCount(unit.Scenario, unit.Invocations, unit.Repetition, Tally(inWindow)));
        }

        return counts;
    }

    /// <summary>Executions by kind.</summary>
    public static IReadOnlyDictionary<string, ExecutionTally> Tally(IEnumerable<FunctionExecution> executions)
    {
        ArgumentNullException.ThrowIfNull(executions);
        return executions.GroupBy(e => e.Kind).Where(g => Kinds.Contains(g.Key)).OrderBy(g => IndexOf(g.Key)).ToDictionary(
            g => g.Key,
            g =>
            {
                FunctionExecution[] under = [.. g.Where(e => e.Seconds < MinimumSeconds)];
                return new ExecutionTally(g.LongCount(), Math.Round(g.Sum(e => e.Seconds), 6), under.LongLength, Math.Round(under.Sum(e => e.Seconds), 6));
            },
            StringComparer.Ordinal);
    }

    /// <summary>
    /// <paramref name="counts"/> with the OrchestratorStarted History rows (their event times) in each unit's window.
    /// </summary>
    public static IReadOnlyList<ExecutionCount> WithHistory(IReadOnlyList<ExecutionCount> counts, IReadOnlyList<DateTime> orchestratorStarted, IEnumerable<EventRecord> events)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(orchestratorStarted);
        Dictionary<(string, int, int), UnitWindow> windows = UnitWindow.Of(events).ToDictionary(w => (w.Scenario, w.Invocations, w.Repetition));
        return [.. counts.Select(c => windows.TryGetValue((c.Scenario, c.Invocations, c.Repetition), out UnitWindow? w)
            ? c with { OrchestratorStartedRows = orchestratorStarted.LongCount(t => t >= w.From && t <= w.To) }
            : c)];
    }

    private static int IndexOf(string kind) => Kinds.ToList().IndexOf(kind);
}

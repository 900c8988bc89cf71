namespace FunctionsBench.BenchOrchestrator;

/// <summary>Where a scenario's durable code runs: the orchestration making the call, and the run and unit it belongs to.</summary>
/// <param name="Context">The orchestration making the call (the unit orchestration, or for <see cref="ScenarioInvocation.InvokeAsync"/> the segment orchestration).</param>
/// <param name="Run">The run.</param>
/// <param name="Unit">The (scenario, N, repetition).</param>
public sealed record UnitScope(TaskOrchestrationContext Context, BenchRun Run, BenchUnit Unit)
{
    /// <summary>Whether the unit's timings are recorded and reported (not a warm-up).</summary>
    public bool Recorded => !this.Unit.IsWarmup;
}

/// <summary>One segment of a unit: invocations <paramref name="First"/> .. First + Count - 1, the <paramref name="Index"/>-th of the unit's segments.</summary>
public sealed record UnitSegment(int Index, int First, int Count);

/// <summary>
/// A scenario's durable part: how the unit orchestration prepares a unit, runs its segments, makes one invocation and
/// checks the final state. Each scenario folder under <c>BenchOrchestrator/Scenarios/</c> has one (its
/// <c>*.Invocation.cs</c>), found by <see cref="ScenarioInvocations"/>; its facts are its <see cref="Scenario"/>.
/// </summary>
/// <remarks>
/// A unit runs: <see cref="PrepareAsync"/>, the unit's floor when <see cref="FloorBeforeUnit"/>, then
/// <see cref="RunSegmentAsync"/> for each segment of <see cref="BenchPlan.Segments"/> in order, then
/// <see cref="VerifyAsync"/>, whose broken invariants fail the unit. The default segment is a
/// <see cref="BenchSegmentOrchestration"/> that calls <see cref="InvokeAsync"/> once per invocation (<c>parallelism</c> at
/// a time); a scenario played by a driver activity overrides <see cref="RunSegmentAsync"/> instead. Code here is
/// orchestrator code: deterministic, and it must not block.
/// </remarks>
public abstract class ScenarioInvocation
{
    /// <summary>The scenario's facts (its descriptor, registered in <see cref="Scenarios.All"/>).</summary>
    public abstract Scenario Scenario { get; }

    /// <summary>The durable function one invocation calls, by <c>nameof</c>; it must equal <see cref="Scenario.Callee"/>.</summary>
    public abstract string Callee { get; }

    /// <summary>
    /// Whether a recorded unit measures its floor just before its first invocation (the storage floor's step); false
    /// for a scenario that measures its floor itself, in turns with its invocations (StateFun).
    /// </summary>
    public virtual bool FloorBeforeUnit => true;

    /// <summary>Per-unit setup before anything is timed (e.g. initial state of the unit's keys); nothing by default.</summary>
    public virtual Task PrepareAsync(UnitScope unit) => Task.CompletedTask;

    /// <summary>
    /// Runs one segment and returns when its invocations started and ended, their timing records sent to the timings
    /// entities when the unit is recorded (<see cref="TimingsChunk.RecordAsync"/>). By default a
    /// <see cref="BenchSegmentOrchestration"/> under its own instance id (<see cref="InstanceIds.Segment"/>), which the
    /// History cross-check reads.
    /// </summary>
    /// <param name="unit">The unit (its context is the unit orchestration's).</param>
    /// <param name="segment">Which invocations.</param>
    /// <param name="previous">The previous segment's result (a driver's carried state); null for the first.</param>
    public virtual Task<SegmentResult> RunSegmentAsync(UnitScope unit, UnitSegment segment, SegmentResult? previous)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(segment);
        string segmentId = InstanceIds.Segment(unit.Run.RunId, unit.Unit, segment.Index);
        unit.Context.SetCustomStatus(new UnitProgress(segment.First, unit.Unit.Invocations, segmentId));
        return unit.Context.CallSubOrchestratorAsync<SegmentResult>(
            nameof(BenchSegmentOrchestration), new SegmentInput(unit.Run, unit.Unit, segment.First, segment.Count), new SubOrchestrationOptions { InstanceId = segmentId });
    }

    /// <summary>
    /// Invocation <paramref name="sequence"/>: the call, timed with the orchestration clock from before it to after its
    /// answer, the answer checked (a wrong or lost answer throws). A scenario of several operation types labels the
    /// record with its <see cref="TimingRecord.Operation"/>.
    /// </summary>
    /// <param name="unit">The unit (its context is the segment orchestration's).</param>
    /// <param name="sequence">The invocation's sequence in its unit, from 0.</param>
    public virtual Task<TimingRecord> InvokeAsync(UnitScope unit, int sequence)
        => throw new NotSupportedException($"Scenario '{this.Scenario.Name}' runs its segments itself; it has no per-invocation call.");

    /// <summary>The checks only the end of a unit can make, each named with what it found; none by default.</summary>
    public virtual Task<IReadOnlyList<InvariantResult>> VerifyAsync(UnitScope unit) => Task.FromResult<IReadOnlyList<InvariantResult>>([]);

    /// <summary>
    /// The end-of-unit checks given what the unit's segments returned (a cart unit checks every operation's outcome); by
    /// default <see cref="VerifyAsync(UnitScope)"/>. Their results go into the unit's result (<c>invariants</c>).
    /// </summary>
    /// <param name="unit">The unit (its context is the unit orchestration's).</param>
    /// <param name="segments">Every segment's result, in order.</param>
    public virtual Task<IReadOnlyList<InvariantResult>> VerifyAsync(UnitScope unit, IReadOnlyList<SegmentResult> segments) => this.VerifyAsync(unit);

    /// <summary>
    /// Adds the scenario's own figures to a recorded unit's result (a cart unit: checkouts/s, latency per operation kind);
    /// by default the result as it is.
    /// </summary>
    /// <param name="unit">The unit (its context is the unit orchestration's).</param>
    /// <param name="result">The result with the common figures, its users and invariants.</param>
    /// <param name="segments">Every segment's result, in order.</param>
    public virtual Task<ScenarioResult> CompleteResultAsync(UnitScope unit, ScenarioResult result, IReadOnlyList<SegmentResult> segments) => Task.FromResult(result);

    /// <summary>Throws when invocation <paramref name="sequence"/> answered <paramref name="actual"/> instead of <paramref name="expected"/>.</summary>
    protected static void ExpectAnswer(string actual, string expected, int sequence)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"Invocation {sequence} returned \"{actual}\"; expected \"{expected}\".");
        }
    }
}

/// <summary>
/// Every scenario's durable part, by scenario name: the <see cref="ScenarioInvocation"/> subclasses of this assembly, one
/// per scenario of <see cref="Scenarios.All"/>. A missing, doubled or unregistered one, or a callee that differs from the
/// scenario's, fails the first use with a message naming it.
/// </summary>
public static class ScenarioInvocations
{
    private static readonly Lazy<IReadOnlyDictionary<string, ScenarioInvocation>> ByName = new(Discover);

    /// <summary>Every scenario's invocation, in the order of <see cref="Scenarios.All"/>.</summary>
    public static IReadOnlyList<ScenarioInvocation> All => [.. Scenarios.Names.Select(name => ByName.Value[name])];

    /// <summary>The invocation of the scenario named <paramref name="scenario"/>.</summary>
    public static ScenarioInvocation Get(string scenario)
        => ByName.Value.TryGetValue(scenario, out ScenarioInvocation? invocation)
            ? invocation
            : throw new ArgumentOutOfRangeException(nameof(scenario), scenario, $"Unknown scenario; the scenarios are {string.Join(", ", Scenarios.Names)}.");

    private static Dictionary<string, ScenarioInvocation> Discover()
    {
        ScenarioInvocation[] found = [.. typeof(ScenarioInvocation).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(ScenarioInvocation)) && !t.IsAbstract)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (ScenarioInvocation)(Activator.CreateInstance(t)
                ?? throw new InvalidOperationException($"{t.Name} needs a public parameterless constructor.")))];
        var problems = new List<string>();
        foreach (ScenarioInvocation invocation in found)
        {
            string type = invocation.GetType().Name;
            if (!Scenarios.IsKnown(invocation.Scenario.Name) || !ReferenceEquals(Scenarios.Get(invocation.Scenario.Name), invocation.Scenario))
            {
                problems.Add($"{type} is for '{invocation.Scenario.Name}', which is not registered in Scenarios.All");
            }

            if (invocation.Callee != invocation.Scenario.Callee)
            {
                problems.Add($"{type} calls '{invocation.Callee}' but scenario '{invocation.Scenario.Name}' names '{invocation.Scenario.Callee}' as its callee");
            }
        }

        foreach (string name in Scenarios.Names)
        {
            int count = found.Count(i => i.Scenario.Name == name);
            if (count != 1)
            {
                problems.Add($"scenario '{name}' has {count} invocation classes; it needs exactly one");
            }
        }

        return problems.Count > 0
            ? throw new InvalidOperationException("The scenario folders do not fit together: " + string.Join("; ", problems) + ".")
            : found.ToDictionary(i => i.Scenario.Name, StringComparer.Ordinal);
    }
}

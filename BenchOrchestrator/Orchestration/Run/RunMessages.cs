using FunctionsBench.BenchOrchestrator.Floors;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// Progress of a run, the control orchestration's custom status: which unit runs (its orchestration's own custom status
/// says how far it is, see <see cref="UnitProgress"/>) and how many invocations the finished units made.
/// </summary>
/// <param name="Unit">The running unit, from 1; <paramref name="Units"/> when the run is done.</param>
/// <param name="DoneOverall">Invocations of the units finished so far.</param>
/// <param name="UnitInstanceId">The running unit's orchestration; null before the first unit and after the last.</param>
/// <param name="Phase"><c>floors</c>, <c>warm-up</c>, <c>units</c> or <c>done</c>.</param>
public sealed record BenchProgress(
    string Phase, string? Scenario, int Invocations, int Repetition, int Unit, int Units, long DoneOverall, long TotalOverall, string? UnitInstanceId);

/// <summary>
/// Progress of one unit, its orchestration's custom status, and of the unit's running segment, the segment
/// orchestration's (updated with each flush of timings, every <c>checkpointEvery</c> invocations: in single mode a unit
/// is one segment, so only the segment can say how far it is).
/// </summary>
/// <param name="Done">The unit's invocations made so far.</param>
/// <param name="Total">The unit's N.</param>
/// <param name="Segment">The running segment's orchestration, on a unit's status; null on a segment's, and for StateFun.</param>
public sealed record UnitProgress(int Done, int Total, string? Segment = null);

/// <summary>What a unit orchestration runs.</summary>
/// <param name="Run">The run.</param>
/// <param name="Unit">The (scenario, N, repetition); repetition 0 is an unrecorded warm-up.</param>
/// <param name="Floors">The run's floors, for the result's efficiency.</param>
public sealed record UnitInput(BenchRun Run, BenchUnit Unit, BenchFloors? Floors)
{
    /// <summary>Whether the unit's timings are recorded and reported (not a warm-up).</summary>
    public bool Recorded => !this.Unit.IsWarmup;
}

/// <summary>What a segment orchestration runs: invocations <paramref name="First"/> .. First + Count - 1 of a unit.</summary>
public sealed record SegmentInput(BenchRun Run, BenchUnit Unit, int First, int Count);

/// <summary>When a segment's (or StateFun chunk's) invocations started and ended.</summary>
/// <param name="Start">The first invocation's start.</param>
/// <param name="End">The last invocation's end.</param>
/// <param name="StateFunState">The emulated StateFun runtime's state after a StateFun chunk; null for Durable Functions segments.</param>
/// <param name="Floor">The HTTP floor a StateFun segment measured in turns with its logins; null for none.</param>
/// <param name="Outcomes">What each operation of a cart segment returned to its user, for the unit's invariants; null for the greeter's.</param>
public sealed record SegmentResult(
    DateTime Start, DateTime End, JsonElement? StateFunState = null, HttpFloorInTurns? Floor = null, IReadOnlyList<ShoppingCart.CartOutcome>? Outcomes = null);

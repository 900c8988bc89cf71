using FunctionsBench.BenchOrchestrator.History;
using FunctionsBench.BenchOrchestrator.Warnings;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// What <c>./bench run</c> finds out about a run from outside it, after or beside the measurement (<c>inspection.json</c>):
/// the History cross-check, the task hub's queue depths, the storage requests the host made and the storage faults it
/// met. The run measured none of it and paid nothing for it; the results document (<see cref="ResultsDocument"/>) is
/// the measurement alone, the same on both hosts.
/// </summary>
/// <param name="RunId">The run inspected.</param>
/// <param name="HistoryCheck">The recorded timings against the task hub's History table; null when skipped.</param>
/// <param name="QueueDepths">The task hub's queue lengths about every second; null when not sampled.</param>
/// <param name="StorageRequests">The storage requests per invocation in each unit's window (embedded host only); null elsewhere.</param>
/// <param name="StorageFaults">Storage requests that failed (an error status or no response) in each unit's window (embedded host only); null elsewhere.</param>
/// <param name="Load">How busy the machine was while the run went, and how much of that was the bench itself; null where not measured.</param>
/// <param name="Executions">The function executions the host dispatched in each unit's window, with the History's OrchestratorStarted rows beside them (embedded host only); null elsewhere.</param>
/// <param name="Cost">Every unit priced per million invocations from <paramref name="Executions"/>, <paramref name="StorageRequests"/> and a price file; null without executions.</param>
public sealed record Inspection(
    string RunId,
    HistoryCheck? HistoryCheck = null,
    IReadOnlyList<QueueDepthSample>? QueueDepths = null,
    IReadOnlyList<StorageRequestCount>? StorageRequests = null,
    IReadOnlyList<StorageFaultCount>? StorageFaults = null,
    MachineLoad? Load = null,
    IReadOnlyList<Cost.ExecutionCount>? Executions = null,
    Cost.CostReport? Cost = null)
{
    /// <summary>
    /// Each unit's latency in its first and last tenth with what the storage did meanwhile (<see cref="LatencyDrift"/>),
    /// from the embedded host's request log; null without one (the report then judges the latency from the events alone).
    /// </summary>
    public IReadOnlyList<UnitDrift>? Drift { get; init; }
}

/// <summary>Failed storage requests while one unit ran: an outage or injected faults show here, and the unit's time includes them.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Invocations">N.</param>
/// <param name="Repetition">The repetition.</param>
/// <param name="Failed">Requests that got a 5xx, a 408/429, or no response at all, in the unit's window (<see cref="StorageFaults.IsFailure"/>).</param>
/// <param name="NoResponse">Of those, requests that got no response (connection refused, reset, timed out).</param>
/// <param name="LongestGapSeconds">The longest time in the window with failed requests and no successful one: the outage's length as the host saw it.</param>
public sealed record StorageFaultCount(string Scenario, int Invocations, int Repetition, int Failed, int NoResponse, double LongestGapSeconds)
{
    /// <summary>Whether storage answered nothing but failures for <see cref="StorageFaults.OutageSeconds"/> or longer in the unit's window.</summary>
    public bool IncludesOutage => this.LongestGapSeconds >= StorageFaults.OutageSeconds;
}

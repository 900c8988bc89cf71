namespace FunctionsBench.BenchOrchestrator;

/// <summary>One timed invocation, as the control orchestration measured it.</summary>
/// <param name="Sequence">The invocation's sequence in its unit.</param>
/// <param name="Start">Before the call.</param>
/// <param name="End">After its answer.</param>
/// <param name="Operation">
/// The operation type of a scenario with several (for latency per type); null for a scenario of one kind of invocation,
/// and then not written.
/// </param>
public sealed record TimingRecord(int Sequence, DateTime Start, DateTime End, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Operation = null)
{
    /// <summary>End minus start, in milliseconds.</summary>
    public double LatencyMs => (this.End - this.Start).TotalMilliseconds;
}

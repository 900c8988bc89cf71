namespace FunctionsBench.BenchOrchestrator;

/// <summary>One timed invocation, as the control orchestration measured it.</summary>
public sealed record TimingRecord(int Sequence, DateTime Start, DateTime End)
{
    /// <summary>End minus start, in milliseconds.</summary>
    public double LatencyMs => (this.End - this.Start).TotalMilliseconds;
}

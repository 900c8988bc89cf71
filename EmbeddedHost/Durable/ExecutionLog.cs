using System.Collections.Concurrent;
using System.Diagnostics;
using FunctionsBench.BenchOrchestrator.Cost;

namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// Every function execution this host dispatched: orchestrator episodes, activity executions and entity batches as the
/// Durable Functions extension called them (each call is what the Functions host bills as one execution), and requests to
/// the StateFun endpoint (an HTTP-triggered function when deployed). Each with its start and duration, to count
/// executions and execution time per unit.
/// </summary>
/// <remarks>An entry is 24 bytes; past <see cref="Capacity"/> executions only <see cref="Dropped"/> counts and per-unit counts would be short.</remarks>
public sealed class ExecutionLog
{
    /// <summary>The most executions kept.</summary>
    public const int Capacity = 4_000_000;

    private readonly ConcurrentQueue<(long StartTicks, double Seconds, byte Kind)> entries = new();
    private int count;
    private long dropped;

    /// <summary>Executions seen past <see cref="Capacity"/>.</summary>
    public long Dropped => Interlocked.Read(ref this.dropped);

    /// <summary>Whether every execution seen is kept.</summary>
    public bool IsComplete => this.Dropped == 0;

    /// <summary>The executions kept so far, in the order they ended.</summary>
    public IReadOnlyList<FunctionExecution> Snapshot()
        => [.. this.entries.Select(e => new FunctionExecution(FunctionExecutions.Kinds[e.Kind], new DateTime(e.StartTicks, DateTimeKind.Utc), e.Seconds))];

    /// <summary>Records one execution of <paramref name="kind"/> (one of <see cref="FunctionExecutions.Kinds"/>) that started at <paramref name="start"/>.</summary>
    public void Record(string kind, DateTime start, double seconds)
    {
        int code = FunctionExecutions.Kinds.ToList().IndexOf(kind);
        if (code < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of function execution this log counts.");
        }

        if (Interlocked.Increment(ref this.count) > Capacity)
        {
            Interlocked.Increment(ref this.dropped);
            return;
        }

        this.entries.Enqueue((start.Ticks, seconds, (byte)code));
    }

    /// <summary>Runs <paramref name="call"/> and records it as one execution of <paramref name="kind"/>, failed or not.</summary>
    public T Time<T>(string kind, Func<T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        DateTime start = DateTime.UtcNow;
        long began = Stopwatch.GetTimestamp();
        try
        {
            return call();
        }
        finally
        {
            this.Record(kind, start, Stopwatch.GetElapsedTime(began).TotalSeconds);
        }
    }

    /// <summary>Awaits <paramref name="call"/> and records it as one execution of <paramref name="kind"/>, failed or not.</summary>
    public async Task TimeAsync(string kind, Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        DateTime start = DateTime.UtcNow;
        long began = Stopwatch.GetTimestamp();
        try
        {
            await call();
        }
        finally
        {
            this.Record(kind, start, Stopwatch.GetElapsedTime(began).TotalSeconds);
        }
    }

    /// <summary>Awaits <paramref name="call"/> and records it as one execution of <paramref name="kind"/>, failed or not.</summary>
    public async Task<T> TimeAsync<T>(string kind, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        DateTime start = DateTime.UtcNow;
        long began = Stopwatch.GetTimestamp();
        try
        {
            return await call();
        }
        finally
        {
            this.Record(kind, start, Stopwatch.GetElapsedTime(began).TotalSeconds);
        }
    }
}

using System.Diagnostics;

namespace FunctionsBench.BenchOrchestrator.Floors;

/// <summary>What <see cref="FloorLoop.RunAsync"/> measured: each timed step's milliseconds and the warm-up before them.</summary>
/// <param name="Ms">Milliseconds of every timed step, in order.</param>
/// <param name="WarmupSteps">Steps made during the warm-up, not timed.</param>
/// <param name="WarmupSeconds">How long the warm-up took.</param>
/// <param name="Seconds">How long the timed steps took, all together.</param>
public sealed record FloorSample(List<double> Ms, int WarmupSteps, double WarmupSeconds, double Seconds)
{
    /// <summary>Timed steps per second.</summary>
    public double PerSecond => this.Ms.Count / this.Seconds;
}

/// <summary>The loop both floors run: one step after another for a warm-up without counting, then for a duration timing each.</summary>
public static class FloorLoop
{
    /// <summary>Runs <paramref name="step"/> sequentially for <paramref name="warmup"/>, then for <paramref name="duration"/> timing each call.</summary>
    public static async Task<FloorSample> RunAsync(Func<CancellationToken, Task> step, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentOutOfRangeException.ThrowIfLessThan(warmup, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);

        int warmupSteps = 0;
        long warmupStart = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(warmupStart) < warmup)
        {
            await step(cancellationToken);
            warmupSteps++;
        }

        double warmupSeconds = Stopwatch.GetElapsedTime(warmupStart).TotalSeconds;
        var ms = new List<double>(8192);
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            long stepStart = Stopwatch.GetTimestamp();
            await step(cancellationToken);
            ms.Add(Stopwatch.GetElapsedTime(stepStart).TotalMilliseconds);
        }

        return new FloorSample(ms, warmupSteps, warmupSeconds, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
}

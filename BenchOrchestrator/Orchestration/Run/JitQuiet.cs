using System.Diagnostics;
using System.Runtime;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// Waits for this process's JIT to go quiet. The embedded host runs the whole Durable Functions stack beside the
/// StateFun driver, and code that ran between two units (timings, results, the extension's polling) is compiled again
/// at a higher tier in the background just after: on a 2-core machine that compilation takes a core away from the
/// next unit's first seconds. A unit that starts once the compiler has been idle for a moment times the logins, not
/// the host's tiering.
/// </summary>
public static class JitQuiet
{
    /// <summary>How long no method may be compiled for the JIT to count as quiet.</summary>
    public static readonly TimeSpan QuietFor = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Waits until no method was compiled for <see cref="QuietFor"/>, or <paramref name="maxWait"/> has passed (a host
    /// whose JIT never settles starts the unit anyway).
    /// </summary>
    /// <returns>How long it waited, and whether the JIT went quiet in that time.</returns>
    public static async Task<(TimeSpan Waited, bool Quiet)> WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        long last = JitInfo.GetCompiledMethodCount(currentThread: false);
        long quietSince = start;
        while (Stopwatch.GetElapsedTime(start) < maxWait)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            long now = JitInfo.GetCompiledMethodCount(currentThread: false);
            if (now != last)
            {
                (last, quietSince) = (now, Stopwatch.GetTimestamp());
            }
            else if (Stopwatch.GetElapsedTime(quietSince) >= QuietFor)
            {
                return (Stopwatch.GetElapsedTime(start), true);
            }
        }

        return (Stopwatch.GetElapsedTime(start), false);
    }
}

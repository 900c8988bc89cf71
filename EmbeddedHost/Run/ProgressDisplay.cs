using System.Diagnostics;
using Spectre.Console;

namespace FunctionsBench.Embedded.Run;

/// <summary>
/// Polls a run's status URI until it ends and shows its progress by time: the percentage done of the estimated total
/// time (<see cref="ProgressEstimate"/>), the running unit, the elapsed time and the time left; 100% when the run completes.
/// </summary>
public sealed class ProgressDisplay(BenchApiClient client, ProgressEstimate estimate)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    // The running unit's and segment's own status is read every fourth poll (2 s) and when the unit changes: each read
    // is a storage request on the machine being measured, and the estimate moves slowly.
    private const int DetailEvery = 4;
    private const double Scale = 1000;

    // In a log a line is written when the unit changes, and at most every this long while one runs.
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Shows progress until the run at <paramref name="statusUri"/> ends; returns its final status. On a terminal: a bar
    /// with the percentage done and the elapsed time. In a log (output redirected, CI, <c>| tee</c>): one line per unit,
    /// and one every 30 s within a long unit, each with the elapsed time, the percentage done and the time left.
    /// </summary>
    public Task<RunStatus> RunAsync(IAnsiConsole console, Uri statusUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        var clock = Stopwatch.StartNew();
        if (!console.Profile.Capabilities.Interactive || System.Console.IsOutputRedirected)
        {
            string? last = null;
            TimeSpan lastAt = TimeSpan.Zero;
            return this.PollAsync(statusUri, clock, (what, finished) =>
            {
                // Nothing is known before the run reports its first phase; a line then would promise "0:00 left".
                if (what == "starting" || (what == last && (finished || clock.Elapsed - lastAt < LogEvery)))
                {
                    return;
                }

                console.WriteLine(LogLine(clock.Elapsed, estimate, what));
                (last, lastAt) = (what, clock.Elapsed);
            }, cancellationToken);
        }

        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                ProgressTask task = progress.AddTask("starting", maxValue: Scale);
                RunStatus status = await this.PollAsync(statusUri, clock, (what, finished) =>
                {
                    task.Description = Markup.Escape(finished ? what : $"{what}, {Clock(estimate.Remaining)} left");
                    task.Value = estimate.Fraction * Scale;
                }, cancellationToken);
                task.StopTask();
                return status;
            });
    }

    /// <summary>One line of progress in a log: elapsed, done, time left, then what runs.</summary>
    internal static string LogLine(TimeSpan elapsed, ProgressEstimate estimate, string what)
        => estimate.Fraction >= 1
            ? $"[{Clock(elapsed)} elapsed] 100% done: {what}"
            : string.Create(CultureInfo.InvariantCulture, $"[{Clock(elapsed)} elapsed] {Math.Floor(estimate.Fraction * 100):0}% done, about {Clock(estimate.Remaining)} left: {what}");

    /// <summary>Polls until the run ends, telling <paramref name="show"/> what runs after every poll (and whether the run is over).</summary>
    private async Task<RunStatus> PollAsync(Uri statusUri, Stopwatch clock, Action<string, bool> show, CancellationToken cancellationToken)
    {
        string? detailOf = null;
        var done = 0;
        string what = "starting";
        for (var poll = 0; ; poll++)
        {
            RunStatus current = await client.GetStatusAsync(statusUri, cancellationToken);
            if (current.Progress is { } p)
            {
                string? unitId = p is { Phase: "units" or "warm-up", UnitInstanceId: { } id } ? id : null;
                if (unitId != detailOf || poll % DetailEvery == 0)
                {
                    UnitProgress? unit = unitId is null ? null : await client.GetUnitProgressAsync(statusUri, unitId, cancellationToken);
                    UnitProgress? segment = unit?.Segment is { } segmentId ? await client.GetUnitProgressAsync(statusUri, segmentId, cancellationToken) : null;
                    done = Math.Max(unit?.Done ?? 0, segment?.Done ?? 0);
                    detailOf = unitId;
                }

                estimate.Observe(clock.Elapsed.TotalSeconds, p.Phase, p.Scenario, p.Unit, done);
                what = Describe(p);
            }

            bool finished = current.RuntimeStatus is "Completed" or "Failed" or "Terminated" or "Canceled";
            if (current.RuntimeStatus == "Completed")
            {
                estimate.Complete();
                what = "done";
            }
            else if (finished)
            {
                what = current.RuntimeStatus.ToLowerInvariant();
            }

            show(what, finished);
            if (finished)
            {
                return current;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>What runs, short enough to leave the bar room at 100 columns.</summary>
    internal static string Describe(BenchProgress p) => p.Phase switch
    {
        "units" => $"{p.Scenario} N={p.Invocations} r{p.Repetition} (unit {p.Unit}/{p.Units})",
        "warm-up" => $"warm-up {p.Scenario}",
        _ => p.Phase,
    };

    /// <summary>A duration as m:ss, or h:mm:ss from an hour.</summary>
    internal static string Clock(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}:{t.Seconds:00}");
}

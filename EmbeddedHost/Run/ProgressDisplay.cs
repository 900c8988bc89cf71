using System.Diagnostics;
using Spectre.Console;

namespace FunctionsBench.Embedded.Run;

/// <summary>
/// Polls a run's status URI until it ends and shows its progress by time: a bar and a percentage of the estimated total
/// time (<see cref="ProgressEstimate"/>), the running unit and the time left; 100% when the run completes.
/// </summary>
public sealed class ProgressDisplay(BenchApiClient client, ProgressEstimate estimate)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    // The running unit's and segment's own status is read every fourth poll (2 s) and when the unit changes: each read
    // is a storage request on the machine being measured, and the estimate moves slowly.
    private const int DetailEvery = 4;
    private const double Scale = 1000;

    /// <summary>Shows progress until the run at <paramref name="statusUri"/> ends; returns its final status.</summary>
    public Task<RunStatus> RunAsync(IAnsiConsole console, Uri statusUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        var clock = Stopwatch.StartNew();
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                ProgressTask task = progress.AddTask("starting", maxValue: Scale);
                string? detailOf = null;
                var done = 0;
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
                        task.Description = Describe(p, estimate);
                    }

                    if (current.RuntimeStatus == "Completed")
                    {
                        estimate.Complete();
                        task.Description = "done";
                    }

                    task.Value = estimate.Fraction * Scale;
                    if (current.RuntimeStatus is "Completed" or "Failed" or "Terminated" or "Canceled")
                    {
                        task.StopTask();
                        return current;
                    }

                    await Task.Delay(PollInterval, cancellationToken);
                }
            });
    }

    /// <summary>What runs and the time left, short enough to leave the bar room at 100 columns.</summary>
    internal static string Describe(BenchProgress p, ProgressEstimate estimate)
    {
        string what = p.Phase switch
        {
            "units" => $"{p.Scenario} N={p.Invocations} r{p.Repetition} ({p.Unit}/{p.Units})",
            "warm-up" => $"warm-up {p.Scenario}",
            _ => p.Phase,
        };
        TimeSpan left = estimate.Remaining;
        string eta = left.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalHours}:{left.Minutes:00}:{left.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{left.Minutes}:{left.Seconds:00}");
        return Markup.Escape($"{what}, {eta} left");
    }
}

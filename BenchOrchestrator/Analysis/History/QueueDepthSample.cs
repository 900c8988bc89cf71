namespace FunctionsBench.BenchOrchestrator.History;

/// <summary>
/// One sample of the task hub's queue lengths (<c>queueDepths</c> in <c>results.json</c>): the approximate message counts
/// of the control queues (summed) and of the work-item queue, as the storage service reports them.
/// </summary>
/// <param name="T">Seconds since the run's <c>startedAt</c> (negative for a sample taken before the first orchestration step).</param>
/// <param name="Control">Messages in <c>{hub}-control-00</c> .. (all partitions).</param>
/// <param name="WorkItems">Messages in <c>{hub}-workitems</c>.</param>
public sealed record QueueDepthSample(double T, int Control, int WorkItems)
{
    /// <summary>
    /// A sequential run keeps a message or two in flight; above this many waiting messages (or twice the parallelism)
    /// the run is waiting on the queues.
    /// </summary>
    public const int BacklogThreshold = 10;

    /// <summary>The depth above which a sample counts as backlog for a run with <paramref name="parallelism"/>.</summary>
    public static int BacklogAbove(int parallelism) => Math.Max(BacklogThreshold, 2 * parallelism);

    /// <summary>Samples taken at <paramref name="sampledAt"/> (UTC), relative to <paramref name="startedAt"/>.</summary>
    public static IReadOnlyList<QueueDepthSample> Relative(IEnumerable<(DateTime At, int Control, int WorkItems)> sampledAt, DateTime startedAt)
        => sampledAt.Select(s => new QueueDepthSample(Math.Round((s.At - startedAt).TotalSeconds, 3), s.Control, s.WorkItems)).ToList();

    /// <summary>
    /// The stretches where either queue held more than <paramref name="threshold"/> messages: start and end t, and the
    /// deepest sample of each.
    /// </summary>
    public static IReadOnlyList<(double From, double To, int Deepest)> Backlogs(IReadOnlyList<QueueDepthSample> samples, int threshold)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var spans = new List<(double, double, int)>();
        (double From, double To, int Deepest)? open = null;
        foreach (QueueDepthSample s in samples.OrderBy(s => s.T))
        {
            int depth = Math.Max(s.Control, s.WorkItems);
            if (depth > threshold)
            {
                open = open is { } o ? (o.From, s.T, Math.Max(o.Deepest, depth)) : (s.T, s.T, depth);
            }
            else if (open is { } closed)
            {
                spans.Add(closed);
                open = null;
            }
        }

        if (open is { } last)
        {
            spans.Add(last);
        }

        return spans;
    }

    /// <summary>
    /// <see cref="Backlogs"/> split by whether each overlaps the window of a Durable Functions unit (<paramref name="windows"/>,
    /// with <paramref name="runStart"/> the samples' zero): there invocations pass through the queues, so their timings
    /// include the wait. A backlog elsewhere (between units, where the timing records are written, or in a StateFun
    /// unit's window, whose driver calls the endpoint directly) is in no figure.
    /// </summary>
    public static (IReadOnlyList<(double From, double To, int Deepest)> Measured, IReadOnlyList<(double From, double To, int Deepest)> Elsewhere) BacklogsByWindow(
        IReadOnlyList<QueueDepthSample> samples, int threshold, IEnumerable<UnitWindow> windows, DateTime runStart)
    {
        ArgumentNullException.ThrowIfNull(windows);
        (double From, double To)[] durable = [.. windows.Where(w => !Scenarios.IsKnown(w.Scenario) || Scenarios.Get(w.Scenario).IsDurable).Select(w => (w.FromSeconds(runStart), w.ToSeconds(runStart)))];
        ILookup<bool, (double From, double To, int Deepest)> split = Backlogs(samples, threshold)
            .ToLookup(b => durable.Any(w => b.From <= w.To && b.To >= w.From));
        return ([.. split[true]], [.. split[false]]);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"t={this.T:0.###} control={this.Control} workItems={this.WorkItems}");
}

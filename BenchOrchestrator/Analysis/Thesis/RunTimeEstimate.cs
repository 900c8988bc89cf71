namespace FunctionsBench.BenchOrchestrator.Thesis;

/// <summary>
/// How long a run will take, from a short calibration run: per scenario, execution time as a function of N,
/// T = a·N + b·N² (in single mode each invocation replays a history that grows with N), summed over the planned units
/// with their overheads. The best fit comes from the calibration's per-invocation latencies (<see cref="FitFromEvents"/>):
/// the i-th invocation's cost grows linearly with i, so a line through them gives b even from small N, where whole-unit
/// times (<see cref="FitAll"/>) are dominated by each unit's fixed costs.
/// </summary>
public static class RunTimeEstimate
{
    /// <summary>One scenario's fit: seconds = <paramref name="Linear"/>·N + <paramref name="Quadratic"/>·N².</summary>
    public sealed record Fit(double Linear, double Quadratic)
    {
        /// <summary>The fitted execution seconds of <paramref name="invocations"/>.</summary>
        public double Seconds(int invocations) => (this.Linear * invocations) + (this.Quadratic * invocations * (double)invocations);
    }

    /// <summary>
    /// The fit of each scenario from <paramref name="calibration"/>: least squares of T/N = a + b·N over the units (at
    /// least one), so two N give a line through both.
    /// </summary>
    public static IReadOnlyDictionary<string, Fit> FitAll(IReadOnlyList<ScenarioResult> calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        return calibration.GroupBy(r => r.Scenario).ToDictionary(
            g => g.Key, g => Through(g.Select(r => (r.Invocations, r.ExecutionSeconds))), StringComparer.Ordinal);
    }

    /// <summary>
    /// The fit of each scenario from the calibration's units and their events: the i-th invocation's latency as a line
    /// in i (α + β·i ms, so N invocations take α·N + β·N²/2), plus the time per invocation a unit spends outside
    /// latencies (between one invocation's end and the next one's start). A scenario without events keeps <see cref="FitAll"/>'s fit.
    /// </summary>
    public static IReadOnlyDictionary<string, Fit> FitFromEvents(IReadOnlyList<ScenarioResult> calibration, IReadOnlyList<EventRecord> events)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(events);
        var fits = FitAll(calibration).ToDictionary(StringComparer.Ordinal);
        foreach (IGrouping<string, ScenarioResult> scenario in calibration.GroupBy(r => r.Scenario))
        {
            EventRecord[] own = [.. events.Where(e => e.Scenario == scenario.Key)];
            if (own.Length < 2)
            {
                continue;
            }

            (double intercept, double slope) = Line(own.Select(e => ((double)e.Sequence, e.LatencyMs)));
            double outside = scenario.Average(r =>
                Math.Max(0, r.ExecutionSeconds - (own.Where(e => e.Invocations == r.Invocations && e.Repetition == r.Repetition).Sum(e => e.LatencyMs) / 1000)) / r.Invocations);
            double mean = own.Average(e => e.LatencyMs);
            fits[scenario.Key] = slope > 0 && intercept > 0
                ? new Fit((intercept / 1000) + outside, slope / 2000)
                : new Fit((mean / 1000) + outside, 0);
        }

        return fits;
    }

    /// <summary>A fit through units of one scenario, (N, seconds) each: least squares of T/N = a + b·N; b = 0 with one N or a line that falls.</summary>
    public static Fit Through(IEnumerable<(int Invocations, double Seconds)> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        (double N, double PerInvocation)[] points = [.. units.Where(u => u.Invocations > 0).Select(u => ((double)u.Invocations, u.Seconds / u.Invocations))];
        if (points.Length == 0)
        {
            throw new ArgumentException("No unit with invocations to fit.", nameof(units));
        }

        (double intercept, double slope) = Line(points);
        if (slope <= 0)
        {
            return new Fit(points.Average(p => p.PerInvocation), 0);
        }

        // A steep line through small N can cross zero: keep the growth, start it at half the smallest measured cost.
        return intercept > 0 ? new Fit(intercept, slope) : new Fit(points.Min(p => p.PerInvocation) * 0.5, slope);
    }

    // Least squares of y on x; slope 0 when every x is the same.
    private static (double Intercept, double Slope) Line(IEnumerable<(double X, double Y)> points)
    {
        (double X, double Y)[] all = [.. points];
        double meanX = all.Average(p => p.X), meanY = all.Average(p => p.Y);
        double spread = all.Sum(p => (p.X - meanX) * (p.X - meanX));
        double slope = spread > 0 ? all.Sum(p => (p.X - meanX) * (p.Y - meanY)) / spread : 0;
        return (meanY - (slope * meanX), slope);
    }

    /// <summary>
    /// The estimated seconds of <paramref name="settings"/>' whole run: the start floors, the warm-ups, and every unit
    /// with its overhead; null when a scenario of the plan has no fit.
    /// </summary>
    public static double? Seconds(BenchSettings settings, IReadOnlyDictionary<string, Fit> fits)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(fits);
        double total = ProgressEstimate.StartFloorSeconds;
        foreach (BenchUnit unit in BenchPlan.WarmUps(settings).Concat(BenchPlan.Units(settings)))
        {
            if (!fits.TryGetValue(unit.Scenario, out Fit? fit))
            {
                return null;
            }

            total += ProgressEstimate.UnitOverheadSeconds + fit.Seconds(unit.Invocations);
        }

        return total;
    }

    /// <summary>A duration for people: "45 s", "12 min", "3 h 20 min".</summary>
    public static string Describe(double seconds)
        => seconds switch
        {
            < 90 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s"),
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0} min"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Round(seconds / 60) / 60} h {(long)Math.Round(seconds / 60) % 60} min"),
        };
}

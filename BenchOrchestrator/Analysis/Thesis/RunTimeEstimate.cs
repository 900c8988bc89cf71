namespace FunctionsBench.BenchOrchestrator.Thesis;

/// <summary>
/// How long a run will take, from a short calibration run: per scenario, execution time as a function of N fitted to
/// the calibration's units (T = a·N + b·N², since in single mode each invocation replays a history that grows with N;
/// b is 0 when one N was measured or the fit bends down), summed over the planned units with their overheads.
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
        var fits = new Dictionary<string, Fit>(StringComparer.Ordinal);
        foreach (IGrouping<string, ScenarioResult> scenario in calibration.GroupBy(r => r.Scenario))
        {
            (double N, double PerInvocation)[] points = [.. scenario.Select(r => ((double)r.Invocations, r.ExecutionSeconds / r.Invocations))];
            double meanN = points.Average(p => p.N), meanT = points.Average(p => p.PerInvocation);
            double spread = points.Sum(p => (p.N - meanN) * (p.N - meanN));
            double slope = spread > 0 ? points.Sum(p => (p.N - meanN) * (p.PerInvocation - meanT)) / spread : 0;
            fits[scenario.Key] = slope > 0 ? new Fit(meanT - (slope * meanN), slope) : new Fit(meanT, 0);
            if (fits[scenario.Key].Linear < 0)
            {
                // A steep line through small N can cross zero: keep the growth, start it at the smallest measured cost.
                fits[scenario.Key] = new Fit(points.Min(p => p.PerInvocation) * 0.5, slope);
            }
        }

        return fits;
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

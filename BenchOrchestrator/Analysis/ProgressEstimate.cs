using FunctionsBench.BenchOrchestrator.Thesis;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// How far a run is by time, and how long it has left: the run is a list of steps (the start floors, the warm-ups, the
/// units), each expected to take a fixed overhead plus its scenario's time for N invocations. That time is a·N + b·N²
/// (<see cref="RunTimeEstimate.Fit"/>: in single mode the i-th invocation costs more the longer the history): from a
/// calibration when there is one, scaled by what the finished units took; from the finished units themselves once they
/// span two N; else a rate per invocation, from a rough prior and then learned. The running unit's remainder is scaled
/// by how far it has come against the fit. Progress is elapsed / (elapsed + remaining), and 1 once the run is done.
/// </summary>
public sealed class ProgressEstimate
{
    /// <summary>Seconds the start floors take (warm-up and measurement of the storage and HTTP floors).</summary>
    public const double StartFloorSeconds = 14;

    /// <summary>Seconds a unit spends besides its invocations (its own floor, starting and collecting).</summary>
    public const double UnitOverheadSeconds = 3;

    private readonly List<(string? Scenario, int Invocations)> steps = [(null, 0)];
    private readonly Dictionary<string, (double Seconds, double Invocations)> learned = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(int Invocations, double Seconds)>> finished = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> prior;
    private readonly IReadOnlyDictionary<string, RunTimeEstimate.Fit> calibrated;
    private int current;
    private double currentStartedAt;
    private int currentDone;
    private bool done;

    /// <summary>
    /// An estimate for the run <paramref name="settings"/> describes; <paramref name="secondsPerInvocation"/> overrides
    /// the priors, and <paramref name="fits"/> (a calibration's, <see cref="RunTimeEstimate"/>) model the scenarios they name.
    /// </summary>
    public ProgressEstimate(BenchSettings settings, IReadOnlyDictionary<string, double>? secondsPerInvocation = null, IReadOnlyDictionary<string, RunTimeEstimate.Fit>? fits = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        this.calibrated = fits ?? new Dictionary<string, RunTimeEstimate.Fit>();
        this.steps.AddRange(BenchPlan.WarmUps(settings).Select(u => ((string?)u.Scenario, u.Invocations)));
        this.steps.AddRange(BenchPlan.Units(settings).Select(u => ((string?)u.Scenario, u.Invocations)));
        this.WarmUps = BenchPlan.WarmUps(settings).Select(u => u.Scenario).ToList();
        this.prior = Scenarios.All.ToDictionary(
            s => s.Name, s => secondsPerInvocation?.GetValueOrDefault(s.Name) ?? (s.IsDurable ? 0.05 * s.StepsPerInvocation : 0.0005), StringComparer.Ordinal);
    }

    private List<string> WarmUps { get; }

    /// <summary>Elapsed / (elapsed + remaining) at the last observation, 0 to 1.</summary>
    public double Fraction { get; private set; }

    /// <summary>The estimated time left at the last observation; zero once done.</summary>
    public TimeSpan Remaining { get; private set; }

    /// <summary>
    /// Takes the run's progress (its custom status) at <paramref name="elapsedSeconds"/> since it started: the phase
    /// (<c>floors</c>, <c>warm-up</c>, <c>units</c>, <c>done</c>), the warm-up's scenario or the unit's number (from 1),
    /// and how many invocations the running step has made (<paramref name="unitDone"/>).
    /// </summary>
    public void Observe(double elapsedSeconds, string phase, string? scenario, int unit, int unitDone)
    {
        int step = phase switch
        {
            "floors" => 0,
            "warm-up" => 1 + Math.Max(0, this.WarmUps.IndexOf(scenario ?? string.Empty)),
            "units" => this.WarmUps.Count + unit,
            _ => this.steps.Count,
        };
        step = Math.Clamp(step, 0, this.steps.Count);
        if (step != this.current)
        {
            // The step before is over: learn its scenario's seconds per invocation from its whole duration.
            this.Learn(this.current, elapsedSeconds - this.currentStartedAt, this.steps[Math.Min(this.current, this.steps.Count - 1)].Invocations);
            this.current = step;
            this.currentStartedAt = elapsedSeconds;
            this.currentDone = 0;
        }

        this.currentDone = Math.Max(this.currentDone, unitDone);
        this.done = phase == "done" || step >= this.steps.Count;
        double remaining = this.done ? 0 : this.RemainingSeconds(elapsedSeconds);
        this.Remaining = TimeSpan.FromSeconds(remaining);
        this.Fraction = this.done ? 1 : elapsedSeconds <= 0 ? 0 : Math.Clamp(elapsedSeconds / (elapsedSeconds + remaining), 0, 0.999);
    }

    /// <summary>Marks the run finished: 100%, nothing left.</summary>
    public void Complete()
    {
        this.done = true;
        this.Fraction = 1;
        this.Remaining = TimeSpan.Zero;
    }

    /// <summary>The expected seconds of a step of <paramref name="invocations"/> of <paramref name="scenario"/>, with its model.</summary>
    public double ExpectedSeconds(string? scenario, int invocations)
        => scenario is null ? StartFloorSeconds : UnitOverheadSeconds + this.Model(scenario).Seconds(invocations);

    /// <summary>
    /// The time of N invocations of <paramref name="scenario"/> as the estimate models it now: the calibration's fit
    /// scaled by the finished units, else a fit through the finished units when they have two N, else the learned or prior rate.
    /// </summary>
    public RunTimeEstimate.Fit Model(string scenario)
    {
        List<(int Invocations, double Seconds)> units = this.finished.GetValueOrDefault(scenario) ?? [];
        if (this.calibrated.TryGetValue(scenario, out RunTimeEstimate.Fit? fit))
        {
            double expected = units.Sum(u => fit.Seconds(u.Invocations));
            double scale = expected > 0 ? units.Sum(u => u.Seconds) / expected : 1;
            return new RunTimeEstimate.Fit(fit.Linear * scale, fit.Quadratic * scale);
        }

        return units.Select(u => u.Invocations).Distinct().Count() >= 2
            ? RunTimeEstimate.Through(units)
            : new RunTimeEstimate.Fit(this.SecondsPerInvocation(scenario), 0);
    }

    /// <summary>The learned seconds per invocation of <paramref name="scenario"/>, else its prior.</summary>
    public double SecondsPerInvocation(string scenario)
        => this.learned.TryGetValue(scenario, out var seen) && seen.Invocations > 0 ? seen.Seconds / seen.Invocations : this.prior.GetValueOrDefault(scenario, 0.05);

    private void Learn(int step, double seconds, int invocations)
    {
        if (step <= 0 || step >= this.steps.Count || invocations <= 0 || this.steps[step].Scenario is not { } scenario)
        {
            return;
        }

        double own = seconds - UnitOverheadSeconds;
        if (own <= 0)
        {
            // A step no longer than the overhead says nothing of the scenario's rate: learning 0 s per invocation from
            // it (a short warm-up) made every later unit of the scenario "take no time", and the run "100% done".
            return;
        }

        (double s, double n) = this.learned.GetValueOrDefault(scenario);
        this.learned[scenario] = (s + own, n + invocations);
        if (step <= this.WarmUps.Count)
        {
            // A warm-up is short and mostly overhead (first calls, cold caches): a rate, but no guide to how time grows with N.
            return;
        }

        if (!this.finished.TryGetValue(scenario, out List<(int Invocations, double Seconds)>? units))
        {
            this.finished[scenario] = units = [];
        }

        units.Add((invocations, own));
    }

    private double RemainingSeconds(double elapsedSeconds)
    {
        (string? scenario, int invocations) = this.steps[this.current];
        double inStep = elapsedSeconds - this.currentStartedAt;
        double current;
        if (scenario is null)
        {
            current = Math.Max(0, StartFloorSeconds - inStep);
        }
        else
        {
            // What the model says is left of this unit, scaled by how its done invocations compare with the model.
            RunTimeEstimate.Fit model = this.Model(scenario);
            double modelDone = model.Seconds(this.currentDone);
            // Only once a tenth of the unit is done: its first invocations are few and carry the unit's start.
            double scale = this.currentDone * 10 >= invocations && inStep > UnitOverheadSeconds && modelDone > 0
                ? Math.Clamp((inStep - UnitOverheadSeconds) / modelDone, 0.25, 4)
                : 1;
            current = Math.Max(0, UnitOverheadSeconds - inStep) + (scale * (model.Seconds(invocations) - modelDone));
        }

        return current + this.steps.Skip(this.current + 1).Sum(s => this.ExpectedSeconds(s.Scenario, s.Invocations));
    }
}

using FunctionsBench.BenchOrchestrator.Floors;

namespace FunctionsBench.BenchOrchestrator.Warnings;

/// <summary>
/// Why a run's figures may not be this machine's usual ones: floors far below the floors of earlier runs on the same
/// machine and storage, floors that fell during the run, or other processes busy while it went. Each is one sentence for
/// the console and the report.
/// </summary>
public static class RunWarnings
{
    /// <summary>A floor below this fraction of its usual value is reported.</summary>
    public const double FarBelow = 0.5;

    /// <summary>
    /// The warnings for <paramref name="document"/>. <paramref name="earlier"/> are results of earlier runs; those made on
    /// the same machine and storage (<see cref="SameSetup"/>) give the usual floors.
    /// </summary>
    public static IReadOnlyList<string> For(ResultsDocument document, Inspection? inspection, IReadOnlyList<ResultsDocument> earlier)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(earlier);
        var warnings = new List<string>();
        ResultsDocument[] usual = [.. earlier.Where(e => e.RunId != document.RunId && SameSetup(document, e))];
        Compare(warnings, "storage floor", "steps/s", document.Floors?.Storage?.StepsPerSecond, [.. usual.Select(e => e.Floors?.Storage?.StepsPerSecond)]);
        Compare(warnings, "HTTP floor", "requests/s", document.Floors?.Http?.RequestsPerSecond, [.. usual.Select(e => e.Floors?.Http?.RequestsPerSecond)]);
        Spread(warnings, document, FloorKind.Storage, "storage", "steps/s");
        Spread(warnings, document, FloorKind.Http, "HTTP", "requests/s");
        if (inspection?.Load is { } load && load.OtherCores > MachineLoad.LoadedAboveCores)
        {
            warnings.Add(F($"The machine was loaded: other processes kept {load.OtherCores:0.00} of its {load.Cores} cores busy on average during the run ({load.Scope} used {load.BenchCores:0.00}), so the figures are lower than on an idle machine."));
        }

        if (inspection?.Load is { } stolen && stolen.StolenCores > MachineLoad.StolenAboveCores)
        {
            warnings.Add(F($"The hypervisor held back {stolen.StolenCores:0.00} of the machine's {stolen.Cores} cores on average (steal time: a virtual machine whose host ran other work), so the figures are lower than on a quiet host and swing from run to run; compare ratios measured within one run."));
        }

        return warnings;
    }

    /// <summary>Whether two runs were made on the same kind of machine and storage: processor model and count, and storage kind.</summary>
    public static bool SameSetup(ResultsDocument a, ResultsDocument b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Environment is { } ea && b.Environment is { } eb
            && ea.ProcessorCount == eb.ProcessorCount && ea.CpuModel == eb.CpuModel
            && a.Storage?.Emulator == b.Storage?.Emulator && a.Storage?.Account == b.Storage?.Account && a.StorageProvider == b.StorageProvider;
    }

    private static void Compare(List<string> warnings, string name, string unit, double? now, IReadOnlyList<double?> before)
    {
        double[] values = [.. before.Where(v => v is > 0).Select(v => v!.Value).Order()];
        if (now is not double value || values.Length == 0)
        {
            return;
        }

        double median = Statistics.Percentile(values, 50);
        if (value < FarBelow * median)
        {
            warnings.Add(F($"The {name} was {value:0.#} {unit}, {value / median:0%} of this machine's usual {median:0.#} (the median of {values.Length} earlier run(s) on the same machine and storage): the machine or the storage was slower than usual."));
        }
    }

    /// <summary>Floors measured before (or in turns with) the units that differ by more than 2x within the run: the machine's speed changed while it ran.</summary>
    private static void Spread(List<string> warnings, ResultsDocument document, FloorKind kind, string name, string unit)
    {
        double[] rates = [.. document.Results.Where(r => r.FloorSource is ScenarioResult.UnitFloor or ScenarioResult.TurnsFloor && r.FloorRate is > 0 && Scenarios.IsKnown(r.Scenario) && Scenarios.Get(r.Scenario).Floor == kind).Select(r => r.FloorRate!.Value)];
        if (rates.Length >= 2 && rates.Min() < FarBelow * rates.Max())
        {
            warnings.Add(F($"The {name} floor measured for the units ranged from {rates.Min():0.#} to {rates.Max():0.#} {unit}: the machine's speed changed during the run, so units are not equally comparable (each unit's efficiency uses its own floor)."));
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

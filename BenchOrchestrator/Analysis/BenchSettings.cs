namespace FunctionsBench.BenchOrchestrator;

/// <summary>A validated benchmark request, with every default filled in. This is the <c>settings</c> of the results document.</summary>
/// <param name="Warmup">
/// Unrecorded invocations of each Durable Functions scenario of the run before its first unit (the statefun scenario
/// is warmed up with the floors); 0 in documents older than the field.
/// </param>
public sealed record BenchSettings(
    IReadOnlyList<string> Scenarios,
    IReadOnlyList<int> Invocations,
    int Repetitions,
    string Mode,
    int CheckpointEvery,
    int Parallelism,
    string StateFunUrl,
    string UserId,
    string UserName,
    int Warmup = 0);

/// <summary>What the control orchestration is started with: the settings and where it runs.</summary>
/// <param name="Storage">The storage account and provider settings; null in runs started before they were recorded.</param>
/// <param name="StateFunKey">
/// The function key for the StateFun endpoint, taken from a <c>code</c> query parameter of its URL (the default URL gets
/// the key the run was started with) and sent as the <c>x-functions-key</c> header; kept out of the settings and so
/// out of results.json.
/// </param>
/// <param name="Environment">The machine and the component versions the host runs; null when it says nothing about them.</param>
public sealed record BenchRun(
    string RunId, BenchSettings Settings, string Host, string StorageProvider, StorageSetup? Storage = null, string? StateFunKey = null, RunEnvironment? Environment = null);

/// <summary>One (scenario, N, repetition) of a run: the unit results are reported for.</summary>
public sealed record BenchUnit(string Scenario, int Invocations, int Repetition);

/// <summary>The order in which a run takes its units.</summary>
public static class BenchPlan
{
    /// <summary>
    /// Every unit of a run: for each N, for each repetition, every scenario in turn. Interleaving the scenarios at the
    /// same N keeps drift of the machine (Azurite's growing tables, other load) from favouring one scenario.
    /// </summary>
    public static IReadOnlyList<BenchUnit> Units(BenchSettings settings)
    {
        var units = new List<BenchUnit>();
        foreach (int n in settings.Invocations)
        {
            for (int repetition = 1; repetition <= settings.Repetitions; repetition++)
            {
                foreach (string scenario in settings.Scenarios)
                {
                    units.Add(new BenchUnit(scenario, n, repetition));
                }
            }
        }

        return units;
    }

    /// <summary>Total invocations over all units.</summary>
    public static long TotalInvocations(BenchSettings settings)
        => (long)settings.Invocations.Sum(n => (long)n) * settings.Repetitions * settings.Scenarios.Count;
}

namespace FunctionsBench.BenchOrchestrator.Warnings;

/// <summary>
/// How busy the machine's processors were while a run went (<c>load</c> in inspection.json), from the operating system's
/// processor counters, and how much of that the bench's own processes used (the CLI with the embedded host, and the
/// Azurite it started).
/// </summary>
/// <param name="Cores">Logical processors of the machine.</param>
/// <param name="Seconds">Wall-clock seconds measured over.</param>
/// <param name="BusyCores">Processors busy on average (all processes; steal time not included).</param>
/// <param name="BenchCores">Processors the bench's own processes used on average.</param>
/// <param name="Scope">What <paramref name="BenchCores"/> covers, e.g. "this process and its Azurite".</param>
/// <param name="StolenCores">
/// Processors the hypervisor held back on average (steal time: the virtual machine was ready to run but its host ran
/// something else); 0 on a machine that reports none.
/// </param>
public sealed record MachineLoad(int Cores, double Seconds, double BusyCores, double BenchCores, string Scope, double StolenCores = 0)
{
    /// <summary>Processors other processes used on average (never below zero).</summary>
    public double OtherCores => Math.Max(0, this.BusyCores - this.BenchCores);

    /// <summary>Other processes' average use above which a run is reported as made on a loaded machine.</summary>
    public const double LoadedAboveCores = 0.25;

    /// <summary>Steal time above which a run is reported as made on a virtual machine whose host was busy.</summary>
    public const double StolenAboveCores = 0.1;
}

using System.Diagnostics;
using FunctionsBench.BenchOrchestrator.Warnings;

namespace FunctionsBench.Embedded.Run;

/// <summary>
/// Measures how busy the machine was between <see cref="Start"/> and <see cref="Stop"/>: all processors from
/// <c>/proc/stat</c>, the measured system's processes from their processor times (this process, and the Azurite it
/// started; or, for a target on this machine, the target's processes and its Azurite). Linux only; elsewhere
/// <see cref="Stop"/> returns null.
/// </summary>
public sealed class MachineLoadSampler
{
    private readonly Func<IReadOnlySet<int>> measured;
    private readonly Func<IReadOnlySet<int>, string> describe;
    private MachineCpu? machineAtStart;
    private double selfAtStart;
    private Dictionary<int, double> processesAtStart = [];
    private Stopwatch? clock;
    private (MachineCpu Machine, double Self, Dictionary<int, double> Processes, double Seconds)? end;

    /// <summary>A sampler counting this process and, when given, the Azurite process <paramref name="azuriteProcessId"/> as the bench.</summary>
    public MachineLoadSampler(int? azuriteProcessId)
        : this(
            () => azuriteProcessId is int pid ? new HashSet<int> { pid } : new HashSet<int>(),
            _ => azuriteProcessId is null ? "this process" : "this process and its Azurite")
    {
    }

    /// <summary>
    /// A sampler counting this process and the processes <paramref name="measured"/> finds when the run ends (a process
    /// that started during the run counts whole); <paramref name="describe"/> names them for the warning.
    /// </summary>
    public MachineLoadSampler(Func<IReadOnlySet<int>> measured, Func<IReadOnlySet<int>, string> describe)
    {
        this.measured = measured;
        this.describe = describe;
    }

    /// <summary>Takes the starting counters: the machine's, and every process's, so any of them can be counted at the end.</summary>
    public void Start()
    {
        this.machineAtStart = MachineCpu.Read();
        this.selfAtStart = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        this.processesAtStart = LocalProcesses.CpuSecondsOfAll();
        this.clock = Stopwatch.StartNew();
    }

    /// <summary>
    /// Takes the ending counters now, for a <see cref="Stop"/> later: which processes were the measured system may be
    /// known only after the run (the app's storage, found from its results).
    /// </summary>
    public void Capture()
    {
        if (this.end is null && this.clock is not null && MachineCpu.Read() is { } machine)
        {
            this.end = (machine, Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, LocalProcesses.CpuSecondsOfAll(), this.clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>The load from <see cref="Start"/> to <see cref="Capture"/> (or now); null where the counters cannot be read.</summary>
    public MachineLoad? Stop()
    {
        this.Capture();
        if (this.machineAtStart is not { } start || this.end is not { } end || end.Seconds < 1)
        {
            return null;
        }

        int cores = Environment.ProcessorCount;
        (double busyCores, double stolenCores) = end.Machine.CoresSince(start, cores);
        var processes = new HashSet<int>(this.measured());
        processes.Remove(Environment.ProcessId);
        double benchSeconds = end.Self - this.selfAtStart;
        foreach (int pid in processes)
        {
            // A process that started during the run counts whole; one gone before the end has no last count to take.
            if (end.Processes.TryGetValue(pid, out double atEnd))
            {
                benchSeconds += Math.Max(0, atEnd - this.processesAtStart.GetValueOrDefault(pid));
            }
        }

        return new MachineLoad(cores, end.Seconds, busyCores, benchSeconds / end.Seconds, this.describe(processes), stolenCores);
    }
}

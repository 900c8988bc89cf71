using System.Diagnostics;
using FunctionsBench.BenchOrchestrator.Warnings;

namespace FunctionsBench.Embedded.Run;

/// <summary>
/// Measures how busy the machine was between <see cref="Start"/> and <see cref="Stop"/>: all processors from
/// <c>/proc/stat</c>, the bench's own processes from their processor times (this process, and the Azurite it started).
/// Linux only; elsewhere <see cref="Stop"/> returns null.
/// </summary>
public sealed class MachineLoadSampler
{
    private readonly int? azuriteProcessId;
    private readonly string scope;
    private MachineCpu? machineAtStart;
    private double benchAtStart;
    private Stopwatch? clock;

    /// <summary>A sampler counting this process and, when given, the Azurite process <paramref name="azuriteProcessId"/> as the bench.</summary>
    public MachineLoadSampler(int? azuriteProcessId)
    {
        this.azuriteProcessId = azuriteProcessId;
        this.scope = azuriteProcessId is null ? "this process" : "this process and its Azurite";
    }

    /// <summary>Takes the starting counters.</summary>
    public void Start()
    {
        this.machineAtStart = MachineCpu.Read();
        this.benchAtStart = this.BenchSeconds();
        this.clock = Stopwatch.StartNew();
    }

    /// <summary>The load since <see cref="Start"/>; null where the counters cannot be read.</summary>
    public MachineLoad? Stop()
    {
        if (this.machineAtStart is not { } start || MachineCpu.Read() is not { } end || this.clock is null || this.clock.Elapsed.TotalSeconds < 1)
        {
            return null;
        }

        double seconds = this.clock.Elapsed.TotalSeconds;
        int cores = Environment.ProcessorCount;
        (double busyCores, double stolenCores) = end.CoresSince(start, cores);
        return new MachineLoad(cores, seconds, busyCores, (this.BenchSeconds() - this.benchAtStart) / seconds, this.scope, stolenCores);
    }

    /// <summary>Processor seconds of this process and the Azurite it started.</summary>
    private double BenchSeconds()
    {
        double seconds = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        if (this.azuriteProcessId is int pid && File.Exists($"/proc/{pid}/stat"))
        {
            // utime and stime are fields 14 and 15, after the parenthesised command name, in clock ticks (100 per second).
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] after = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            seconds += (double.Parse(after[11], CultureInfo.InvariantCulture) + double.Parse(after[12], CultureInfo.InvariantCulture)) / 100;
        }

        return seconds;
    }
}

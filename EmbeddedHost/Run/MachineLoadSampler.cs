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
    private const string ProcStat = "/proc/stat";
    private readonly int? azuriteProcessId;
    private readonly string scope;
    private (double Busy, double Stolen, double Total)? machineAtStart;
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
        this.machineAtStart = MachineSeconds();
        this.benchAtStart = this.BenchSeconds();
        this.clock = Stopwatch.StartNew();
    }

    /// <summary>The load since <see cref="Start"/>; null where the counters cannot be read.</summary>
    public MachineLoad? Stop()
    {
        if (this.machineAtStart is not { } start || MachineSeconds() is not { } end || this.clock is null || this.clock.Elapsed.TotalSeconds < 1)
        {
            return null;
        }

        double seconds = this.clock.Elapsed.TotalSeconds;
        int cores = Environment.ProcessorCount;
        double total = end.Total - start.Total;
        double busyCores = total > 0 ? (end.Busy - start.Busy) / total * cores : 0;
        double stolenCores = total > 0 ? (end.Stolen - start.Stolen) / total * cores : 0;
        return new MachineLoad(cores, seconds, busyCores, (this.BenchSeconds() - this.benchAtStart) / seconds, this.scope, stolenCores);
    }

    /// <summary>Busy, stolen and total processor seconds of the whole machine since boot, from the first line of /proc/stat.</summary>
    private static (double Busy, double Stolen, double Total)? MachineSeconds()
        => File.Exists(ProcStat) ? ParseCpuLine(File.ReadLines(ProcStat).First()) : null;

    /// <summary>Busy, stolen and total seconds from the aggregate <c>cpu</c> line of /proc/stat.</summary>
    internal static (double Busy, double Stolen, double Total) ParseCpuLine(string line)
    {
        // "cpu  user nice system idle iowait irq softirq steal ...", in clock ticks; idle and iowait are not busy, and
        // steal is time the hypervisor gave to someone else, not work of any process here.
        string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double[] ticks = [.. fields.Skip(1).Take(8).Select(f => double.Parse(f, CultureInfo.InvariantCulture))];
        double total = ticks.Sum(), idle = ticks[3] + ticks[4], steal = ticks.Length > 7 ? ticks[7] : 0;
        return ((total - idle - steal) / 100, steal / 100, total / 100);
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

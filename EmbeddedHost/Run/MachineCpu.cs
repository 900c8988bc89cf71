namespace FunctionsBench.Embedded.Run;

/// <summary>
/// Processor time of the whole machine since boot, in clock ticks, from the aggregate <c>cpu</c> line of <c>/proc/stat</c>
/// (Linux): busy, stolen (time the hypervisor gave to another guest while this one was ready, which stretches whatever
/// runs here, the busier side the most) and in all. The run's <see cref="MachineLoadSampler"/> and the driver benchmark
/// (which compiles this file in) both read it. Kept in whole ticks so that shares of a difference are exact: a machine
/// busy throughout reads as exactly all its cores.
/// </summary>
internal readonly record struct MachineCpu(long BusyTicks, long StolenTicks, long TotalTicks)
{
    private const string ProcStat = "/proc/stat";

    /// <summary>The counters now; null where <c>/proc/stat</c> does not exist.</summary>
    public static MachineCpu? Read() => File.Exists(ProcStat) ? Parse(File.ReadLines(ProcStat).First()) : null;

    /// <summary>Reads <c>cpu  user nice system idle iowait irq softirq steal ...</c>.</summary>
    public static MachineCpu Parse(string line)
    {
        // Idle and iowait are not busy, and steal is no work of any process here; a kernel without steal has 7 fields.
        string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long[] ticks = [.. fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture))];
        long total = ticks.Sum(), idle = ticks[3] + ticks[4], steal = ticks.Length > 7 ? ticks[7] : 0;
        return new MachineCpu(total - idle - steal, steal, total);
    }

    /// <summary>How many of the machine's <paramref name="cores"/> were busy, and how many stolen, on average since <paramref name="start"/>.</summary>
    public (double BusyCores, double StolenCores) CoresSince(MachineCpu start, int cores)
    {
        long total = this.TotalTicks - start.TotalTicks;
        return total > 0
            ? ((double)(this.BusyTicks - start.BusyTicks) / total * cores, (double)(this.StolenTicks - start.StolenTicks) / total * cores)
            : (0, 0);
    }
}

using System.Diagnostics;
using FunctionsBench.BenchOrchestrator.Warnings;
using FunctionsBench.Embedded.Run;

namespace FunctionsBench.Embedded.Tests;

public sealed class MachineLoadSamplerTests
{
    [Fact]
    public void Parse_StealIsNeitherBusyNorIdleButCountsInTheTotal()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice, in clock ticks.
        MachineCpu cpu = MachineCpu.Parse("cpu  600 0 200 1000 100 50 50 300 0 0");

        Assert.Equal(new MachineCpu(BusyTicks: 900, StolenTicks: 300, TotalTicks: 2300), cpu);
    }

    [Fact]
    public void CoresSince_SharesOfTheTicksBetween_ScaledToTheCores()
    {
        var start = new MachineCpu(BusyTicks: 1000, StolenTicks: 100, TotalTicks: 4000);
        var end = new MachineCpu(BusyTicks: 1500, StolenTicks: 300, TotalTicks: 5000);

        Assert.Equal((1.0, 0.4), end.CoresSince(start, cores: 2));
        Assert.Equal((0.0, 0.0), start.CoresSince(start, cores: 2));
    }

    [Fact]
    public void CoresSince_EveryTickBetweenBusy_IsExactlyAllTheCores()
    {
        // Both cores busy for about 1.5 s, no idle tick between: with the ticks turned into seconds before the shares were
        // taken, these counters gave 2.00000000042 cores of 2.
        MachineCpu start = MachineCpu.Parse("cpu  19034063 0 9649656 919925047 100 0 500 0 0 0");
        MachineCpu end = MachineCpu.Parse("cpu  19034358 0 9649664 919925047 100 0 500 0 0 0");

        Assert.Equal((2.0, 0.0), end.CoresSince(start, cores: 2));
    }

    [Fact]
    public void Parse_KernelWithoutASteal_CountsNoSteal()
    {
        MachineCpu cpu = MachineCpu.Parse("cpu  600 0 200 1000 100 50 50");

        Assert.Equal(new MachineCpu(BusyTicks: 900, StolenTicks: 0, TotalTicks: 2000), cpu);
    }

    [Fact]
    public void Stop_WhileThisProcessSpins_SeesItsCpuAndCountsItInTheMachinesBusyCores()
    {
        var sampler = new MachineLoadSampler(azuriteProcessId: null);
        sampler.Start();
        // One thread of this process busy for the whole window (at least the 1 s the sampler needs).
        var clock = Stopwatch.StartNew();
        long spins = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(1.2))
        {
            spins++;
        }

        MachineLoad? load = sampler.Stop();

        if (!File.Exists("/proc/stat"))
        {
            Assert.Null(load);
            return;
        }

        Assert.NotNull(load);
        Assert.True(spins > 0);
        // However loaded the machine, the spinning thread got some of a core, and the sampler saw it.
        Assert.True(load.BenchCores > 0.05, $"this process used {load.BenchCores:F3} cores while spinning");
        // The machine's busy (or stolen) processors include this process's: both counters cover the same window, to the
        // counters' 10 ms ticks.
        Assert.True(load.BusyCores + load.StolenCores >= load.BenchCores - 0.05,
            $"the machine was busy {load.BusyCores:F3} + stolen {load.StolenCores:F3} cores, less than this process's {load.BenchCores:F3}");
        Assert.InRange(load.BusyCores + load.StolenCores, 0, load.Cores + 1e-9);
    }
}

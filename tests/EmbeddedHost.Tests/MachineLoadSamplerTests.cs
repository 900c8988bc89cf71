using FunctionsBench.BenchOrchestrator.Warnings;
using FunctionsBench.Embedded.Run;

namespace FunctionsBench.Embedded.Tests;

public sealed class MachineLoadSamplerTests
{
    [Fact]
    public void Parse_StealIsNeitherBusyNorIdleButCountsInTheTotal()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice, in 1/100 s.
        MachineCpu cpu = MachineCpu.Parse("cpu  600 0 200 1000 100 50 50 300 0 0");

        Assert.Equal(new MachineCpu(9.0, 3.0, 23.0), cpu);
    }

    [Fact]
    public void CoresSince_SharesOfTheTicksBetween_ScaledToTheCores()
    {
        var start = new MachineCpu(Busy: 10, Stolen: 1, Total: 40);
        var end = new MachineCpu(Busy: 15, Stolen: 3, Total: 50);

        Assert.Equal((1.0, 0.4), end.CoresSince(start, cores: 2));
        Assert.Equal((0.0, 0.0), start.CoresSince(start, cores: 2));
    }

    [Fact]
    public void Parse_KernelWithoutASteal_CountsNoSteal()
    {
        MachineCpu cpu = MachineCpu.Parse("cpu  600 0 200 1000 100 50 50");

        Assert.Equal(new MachineCpu(9.0, 0.0, 20.0), cpu);
    }

    [Fact]
    public void Stop_OnThisMachine_ReportsShares()
    {
        var sampler = new MachineLoadSampler(azuriteProcessId: null);
        sampler.Start();
        Thread.Sleep(1100);

        MachineLoad? load = sampler.Stop();

        if (!File.Exists("/proc/stat"))
        {
            Assert.Null(load);
            return;
        }

        Assert.NotNull(load);
        Assert.InRange(load.BusyCores, 0, load.Cores);
        Assert.InRange(load.StolenCores, 0, load.Cores);
        Assert.InRange(load.BusyCores + load.StolenCores, 0, load.Cores + 1e-9);
    }
}

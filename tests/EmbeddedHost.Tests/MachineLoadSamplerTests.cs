using FunctionsBench.BenchOrchestrator.Warnings;
using FunctionsBench.Embedded.Run;

namespace FunctionsBench.Embedded.Tests;

public sealed class MachineLoadSamplerTests
{
    [Fact]
    public void ParseCpuLine_StealIsNeitherBusyNorIdleButCountsInTheTotal()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice, in 1/100 s.
        (double busy, double stolen, double total) = MachineLoadSampler.ParseCpuLine("cpu  600 0 200 1000 100 50 50 300 0 0");

        Assert.Equal((9.0, 3.0, 23.0), (busy, stolen, total));
    }

    [Fact]
    public void ParseCpuLine_KernelWithoutASteal_CountsNoSteal()
    {
        (double busy, double stolen, double total) = MachineLoadSampler.ParseCpuLine("cpu  600 0 200 1000 100 50 50");

        Assert.Equal((9.0, 0.0, 20.0), (busy, stolen, total));
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

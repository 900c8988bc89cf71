using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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

    [Fact]
    public void OfTarget_AListenerOnThisMachine_IsItsProcessWithItsChildren()
    {
        if (!File.Exists("/proc/net/tcp"))
        {
            return;
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using Process child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            IReadOnlySet<int> target = LocalProcesses.OfTarget(new Uri($"http://127.0.0.1:{port}/"), storageConnection: null);

            Assert.Equal(Environment.ProcessId, LocalProcesses.ListenerOf(port));
            Assert.Contains(Environment.ProcessId, target);
            Assert.Contains(child.Id, target);
            Assert.Empty(LocalProcesses.OfTarget(new Uri("http://10.255.255.1:80/"), storageConnection: null));
        }
        finally
        {
            child.Kill();
        }
    }

    [Fact]
    public void Stop_ABusyProcessOfTheTarget_CountsAsTheMeasuredSystemNotAsOtherLoad()
    {
        if (!File.Exists("/proc/stat"))
        {
            return;
        }

        using Process busy = Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })!;
        var withTarget = new MachineLoadSampler(() => new HashSet<int> { busy.Id }, found => $"{found.Count} target process");
        var without = new MachineLoadSampler(azuriteProcessId: null);
        try
        {
            withTarget.Start();
            without.Start();
            double childAtStart = busy.TotalProcessorTime.TotalSeconds;

            // Until the loop has had half a second of processor time, however loaded the machine is (at least a second).
            var clock = Stopwatch.StartNew();
            do
            {
                Thread.Sleep(100);
                busy.Refresh();
            }
            while ((busy.TotalProcessorTime.TotalSeconds - childAtStart < 0.5 || clock.Elapsed.TotalSeconds < 1.1) && clock.Elapsed < TimeSpan.FromSeconds(60));

            busy.Refresh();
            double childUsed = busy.TotalProcessorTime.TotalSeconds - childAtStart;
            MachineLoad counted = withTarget.Stop()!, other = without.Stop()!;
            double moved = (counted.BenchCores * counted.Seconds) - (other.BenchCores * other.Seconds);

            // The busy loop's processor time moves from "other processes" to the measured system: the difference between
            // the two samplers is the loop's time as the runtime reads it (ticks of 10 ms, windows a few ms apart).
            Assert.Equal("1 target process", counted.Scope);
            Assert.True(childUsed >= 0.5, $"the loop had {childUsed:0.00} s of processor time");
            Assert.True(Math.Abs(moved - childUsed) < 0.15, $"the target's sampler counted {moved:0.00} s more than the other; the loop used {childUsed:0.00} s");
        }
        finally
        {
            busy.Kill();
        }
    }
}

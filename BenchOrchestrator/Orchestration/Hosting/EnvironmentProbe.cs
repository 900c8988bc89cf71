using System.Reflection;
using System.Runtime.InteropServices;
using FunctionsBench.BenchOrchestrator;

namespace FunctionsBench.Hosting;

/// <summary>Reads what a <see cref="RunEnvironment"/> records about this process and machine.</summary>
public static class EnvironmentProbe
{
    /// <summary>The machine, the runtime and the versions of <paramref name="components"/> (the assemblies that did the work).</summary>
    public static RunEnvironment Capture(IEnumerable<Assembly> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        long memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return new RunEnvironment(
            Environment.ProcessorCount,
            CpuModel(),
            memory > 0 ? memory : null,
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            components.Distinct().ToDictionary(a => a.GetName().Name ?? a.FullName ?? "?", Version, StringComparer.Ordinal));
    }

    /// <summary>The assembly's informational version without a source-revision suffix, else its assembly version.</summary>
    public static string Version(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational is { Length: > 0 } ? informational.Split('+')[0] : assembly.GetName().Version?.ToString() ?? "?";
    }

    /// <summary>The processor model from <c>/proc/cpuinfo</c> (Linux); null elsewhere.</summary>
    private static string? CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (!File.Exists(CpuInfo))
        {
            return null;
        }

        string? line = File.ReadLines(CpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}

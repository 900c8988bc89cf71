using System.Text.Json;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// What ran the benchmark (<c>environment</c> in the results document): the machine, the runtime and the versions of the
/// components that did the work, so figures from different machines and builds can be told apart.
/// </summary>
/// <param name="ProcessorCount">Logical processors the process may use.</param>
/// <param name="CpuModel">The processor's model name, where the operating system says it.</param>
/// <param name="MemoryBytes">Physical memory available to the process.</param>
/// <param name="Os">The operating system.</param>
/// <param name="DotNet">The .NET runtime.</param>
/// <param name="Components">Assembly name to version of the durable engine, SDK and protocol libraries that were loaded.</param>
/// <param name="GitCommit">The repository's commit, when the host runs from a git checkout.</param>
/// <param name="HostJsonPath">The host.json the host applied (embedded host) or read (Functions app).</param>
/// <param name="HostJson">That file's content.</param>
/// <param name="Azurite">The Azurite version, when the storage is a local Azurite from this repository.</param>
public sealed record RunEnvironment(
    int ProcessorCount,
    string? CpuModel,
    long? MemoryBytes,
    string Os,
    string DotNet,
    IReadOnlyDictionary<string, string> Components,
    string? GitCommit = null,
    string? HostJsonPath = null,
    JsonElement? HostJson = null,
    string? Azurite = null);

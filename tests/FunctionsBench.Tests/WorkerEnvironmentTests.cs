using System.Diagnostics;

namespace FunctionsBench.Tests;

/// <summary>The environment a run records under the Functions host, from what the isolated worker can see.</summary>
public sealed class WorkerEnvironmentTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("worker-env-").FullName;

    [Fact]
    public void Describe_AppFolderAsFuncStartBuildsIt_RecordsHostJsonAndTheExtensionsVersion()
    {
        string extension = Path.Combine(AppContext.BaseDirectory, WorkerEnvironment.ExtensionAssembly + ".dll");
        Assert.True(File.Exists(extension), $"the test needs the extension's assembly beside it: {extension}");
        Directory.CreateDirectory(Path.Combine(this.folder, ".azurefunctions"));
        File.Copy(extension, Path.Combine(this.folder, ".azurefunctions", WorkerEnvironment.ExtensionAssembly + ".dll"));
        File.WriteAllText(Path.Combine(this.folder, "host.json"), """{ "version": "2.0", /* a comment */ "extensions": { "durableTask": { "hubName": "X" } } }""");

        RunEnvironment environment = WorkerEnvironment.Describe(this.folder);

        Assert.Equal(FileVersionInfo.GetVersionInfo(extension).ProductVersion!.Split('+')[0], environment.Components[WorkerEnvironment.ExtensionAssembly]);
        Assert.Equal("X", environment.HostJson!.Value.GetProperty("extensions").GetProperty("durableTask").GetProperty("hubName").GetString());
        Assert.Equal(Path.Combine(this.folder, "host.json"), environment.HostJsonPath);
        Assert.Equal(Environment.ProcessorCount, environment.ProcessorCount);
        Assert.Contains("Microsoft.DurableTask.Abstractions", environment.Components.Keys);
    }

    [Fact]
    public void Describe_FolderWithoutHostJsonOrExtension_LeavesThemOut()
    {
        RunEnvironment environment = WorkerEnvironment.Describe(this.folder);

        Assert.Null(environment.HostJson);
        Assert.Null(environment.HostJsonPath);
        Assert.False(environment.Components.ContainsKey(WorkerEnvironment.ExtensionAssembly));
    }

    public void Dispose() => Directory.Delete(this.folder, recursive: true);
}

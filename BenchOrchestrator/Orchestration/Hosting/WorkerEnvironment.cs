using System.Diagnostics;
using System.Reflection;
using FunctionsBench.BenchOrchestrator;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace FunctionsBench.Hosting;

/// <summary>
/// The <see cref="RunEnvironment"/> of a run under the Functions host, from what the isolated worker can see: its own
/// process and assemblies, the Durable extension the host loaded (the assembly in the app's <c>.azurefunctions</c>
/// folder, where <c>func start</c> puts the host's extensions), the app's host.json, and the commit of the repository
/// the app was built from when it runs from inside one. The host's own version is not visible to the worker and is
/// left out.
/// </summary>
public static class WorkerEnvironment
{
    /// <summary>The Durable Functions extension's assembly name, as the embedded host's components name it.</summary>
    public const string ExtensionAssembly = "Microsoft.Azure.WebJobs.Extensions.DurableTask";

    private static readonly Lazy<RunEnvironment> Current = new(() => Describe(AppContext.BaseDirectory));

    /// <summary>The worker's environment, read once per process.</summary>
    public static RunEnvironment Value => Current.Value;

    /// <summary>The environment of a worker whose app folder is <paramref name="appFolder"/>.</summary>
    public static RunEnvironment Describe(string appFolder)
    {
        ArgumentNullException.ThrowIfNull(appFolder);
        RunEnvironment environment = EnvironmentProbe.Capture(
            [typeof(TaskOrchestrationContext).Assembly, typeof(DurableTaskClient).Assembly, typeof(Microsoft.Azure.Functions.Worker.FunctionContext).Assembly]);
        var components = new Dictionary<string, string>(environment.Components, StringComparer.Ordinal);
        if (ExtensionVersion(appFolder) is { } extension)
        {
            components[ExtensionAssembly] = extension;
        }

        string hostJson = Path.Combine(appFolder, "host.json");
        JsonElement? content = null;
        if (File.Exists(hostJson))
        {
            try
            {
                using JsonDocument json = JsonDocument.Parse(File.ReadAllText(hostJson), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                content = json.RootElement.Clone();
            }
            catch (JsonException)
            {
                // The host would not have started on a host.json it cannot read; the results then say nothing of it.
            }
        }

        return environment with
        {
            Components = components,
            HostJsonPath = content is null ? null : hostJson,
            HostJson = content,
            GitCommit = CommitOf(appFolder),
        };
    }

    /// <summary>The product version of the Durable extension in <c>.azurefunctions</c> (or the app folder); null when neither has it.</summary>
    public static string? ExtensionVersion(string appFolder)
    {
        foreach (string folder in new[] { Path.Combine(appFolder, ".azurefunctions"), appFolder })
        {
            string dll = Path.Combine(folder, ExtensionAssembly + ".dll");
            if (File.Exists(dll) && FileVersionInfo.GetVersionInfo(dll).ProductVersion is { Length: > 0 } version)
            {
                return version.Split('+')[0];
            }
        }

        return null;
    }

    /// <summary>The commit of the git repository holding <paramref name="folder"/>; null outside one or without git.</summary>
    public static string? CommitOf(string folder)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", folder, "rev-parse", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true });
            if (git is null)
            {
                return null;
            }

            string commit = git.StandardOutput.ReadToEnd().Trim();
            return git.WaitForExit(5000) && git.ExitCode == 0 && commit.Length > 0 ? commit : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

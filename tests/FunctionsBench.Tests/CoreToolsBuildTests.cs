using System.Diagnostics;
using System.Reflection;
using System.Xml.Linq;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsBench.Tests;

/// <summary>
/// The Functions app as <c>func start</c> builds it: a copy of the repository's files is built the way Core Tools
/// builds, <c>dotnet build --output bin/output</c> at the root, naming no project (MSBuild then takes
/// FunctionsBench.sln, whose Directory.Solution.targets narrows a build into one output folder to the app), and the
/// folder is checked as the Functions host will read it: the app and the libraries it runs, nothing else.
/// </summary>
[Trait(TestLane.Trait, TestLane.Full)]
public sealed class CoreToolsBuildTests(CoreToolsBuildTests.Output build) : IClassFixture<CoreToolsBuildTests.Output>
{
    /// <summary>Files of the other projects and their packages: none may reach the app's folder.</summary>
    private static readonly string[] ForeignPrefixes =
    [
        "FunctionsBench.Embedded", "FunctionsBench.Testing", "FunctionsBench.Tests", "FunctionsBench.Faults.Tests",
        "FunctionsBench.StateFunGreeter.Tests", "StateFunGreeter.Benchmarks", "Moq", "xunit", "Yarp", "BenchmarkDotNet",
        "Microsoft.TestPlatform", "Microsoft.VisualStudio.TestPlatform", "Microsoft.VisualStudio.CodeCoverage", "testhost",
        "Microsoft.Azure.WebJobs", "System.CommandLine", "Spectre.Console",
    ];

    /// <summary>What the worker SDK and the project put beside the assemblies for the Functions host.</summary>
    private static readonly string[] HostFiles = ["functions.metadata", "worker.config.json", "extensions.json", "host.json", "local.settings.json", "FunctionsBench"];

    [Fact]
    public void Output_HoldsNoTestBenchmarkOrEmbeddedHostFile()
    {
        var foreign = build.Files
            .Where(f => !f.StartsWith(".azurefunctions/", StringComparison.Ordinal))
            .Where(f => ForeignPrefixes.Any(p => Path.GetFileName(f).StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            .ToList();

        Assert.True(build.Files.Count > 50, $"bin/output holds only {build.Files.Count} files");
        Assert.True(foreign.Count == 0, "bin/output holds files of the tests, benchmarks or the embedded host:\n" + string.Join("\n", foreign));
    }

    [Fact]
    public void Output_HoldsOnlyWhatTheAppsDepsJsonNames()
    {
        HashSet<string> named = build.DepsJsonAssets();
        var stems = named.Where(a => a.EndsWith(".dll", StringComparison.Ordinal)).Select(a => a[..^".dll".Length]).ToHashSet(StringComparer.Ordinal);
        string[] companions = [".pdb", ".xml", ".deps.json", ".runtimeconfig.json"];
        var unaccounted = new List<string>();
        foreach (string file in build.Files.Where(f => !f.StartsWith(".azurefunctions/", StringComparison.Ordinal)))
        {
            string? companionOf = companions.Where(c => file.EndsWith(c, StringComparison.Ordinal)).Select(c => file[..^c.Length]).FirstOrDefault();
            if (!named.Contains(file) && !HostFiles.Contains(file) && !(companionOf is not null && stems.Contains(companionOf)))
            {
                unaccounted.Add(file);
            }
        }

        Assert.True(unaccounted.Count == 0, "bin/output holds files FunctionsBench.deps.json does not name (another project's output?):\n" + string.Join("\n", unaccounted));
    }

    [Fact]
    public void Output_HasTheFilesTheFunctionsHostReads()
    {
        foreach (string file in new[] { "functions.metadata", "worker.config.json", "extensions.json", "host.json", "FunctionsBench.dll", "FunctionsBench.deps.json" })
        {
            Assert.True(File.Exists(Path.Combine(build.Folder, file)), $"bin/output lacks {file}");
        }

        using JsonDocument worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(build.Folder, "worker.config.json")));
        Assert.Equal("FunctionsBench.dll", worker.RootElement.GetProperty("description").GetProperty("defaultWorkerPath").GetString());
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "host.json")), File.ReadAllText(Path.Combine(build.Folder, "host.json")));
    }

    [Fact]
    public void ExtensionsJson_LoadsTheDurableExtensionInTheVersionTheEmbeddedHostRuns()
    {
        using JsonDocument extensions = JsonDocument.Parse(File.ReadAllText(Path.Combine(build.Folder, "extensions.json")));
        JsonElement durable = extensions.RootElement.GetProperty("extensions").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "DurableTask");
        Assert.StartsWith("Microsoft.Azure.WebJobs.Extensions.DurableTask.DurableTaskWebJobsStartup, Microsoft.Azure.WebJobs.Extensions.DurableTask,", durable.GetProperty("typeName").GetString());

        using JsonDocument hostDeps = JsonDocument.Parse(File.ReadAllText(Path.Combine(build.Folder, ".azurefunctions", "function.deps.json")));
        string loaded = hostDeps.RootElement.GetProperty("libraries").EnumerateObject()
            .Select(l => l.Name).Single(n => n.StartsWith("Microsoft.Azure.WebJobs.Extensions.DurableTask/", StringComparison.Ordinal));
        Assert.Equal($"Microsoft.Azure.WebJobs.Extensions.DurableTask/{Repository.PinnedVersion("Microsoft.Azure.WebJobs.Extensions.DurableTask")}", loaded);
    }

    [Fact]
    public void DepsJson_EveryAssemblyItNamesIsOnDiskInThatVersion()
    {
        using JsonDocument deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(build.Folder, "FunctionsBench.deps.json")));
        JsonElement target = deps.RootElement.GetProperty("targets").EnumerateObject().First().Value;
        var problems = new List<string>();
        int checkedAssemblies = 0;
        foreach (JsonProperty library in target.EnumerateObject())
        {
            if (!library.Value.TryGetProperty("runtime", out JsonElement runtime))
            {
                continue;
            }

            foreach (JsonProperty assembly in runtime.EnumerateObject())
            {
                string file = Path.Combine(build.Folder, Path.GetFileName(assembly.Name));
                checkedAssemblies++;
                if (!File.Exists(file))
                {
                    problems.Add($"{library.Name}: {assembly.Name} is missing");
                    continue;
                }

                // The app's own projects are recorded without versions; packages with theirs.
                string? expectedAssembly = assembly.Value.TryGetProperty("assemblyVersion", out JsonElement a) && a.GetString() is { Length: > 0 } av ? av : null;
                string? expectedFile = assembly.Value.TryGetProperty("fileVersion", out JsonElement f) && f.GetString() is { Length: > 0 } fv && fv != "0.0.0.0" ? fv : null;
                string actualAssembly = AssemblyName.GetAssemblyName(file).Version?.ToString() ?? "?";
                // The numeric file version, as deps.json records it (the version string may differ in its build part).
                FileVersionInfo info = FileVersionInfo.GetVersionInfo(file);
                string actualFile = $"{info.FileMajorPart}.{info.FileMinorPart}.{info.FileBuildPart}.{info.FilePrivatePart}";
                if ((expectedAssembly is not null && expectedAssembly != actualAssembly) || (expectedFile is not null && expectedFile != actualFile))
                {
                    problems.Add($"{library.Name}: {Path.GetFileName(file)} is {actualAssembly} (file {actualFile}), deps.json says {expectedAssembly} (file {expectedFile})");
                }
            }
        }

        Assert.True(checkedAssemblies > 20, $"only {checkedAssemblies} assemblies named in FunctionsBench.deps.json");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void FunctionsMetadata_IndexesEveryFunctionOfTheAppsLibraries()
    {
        IReadOnlyList<(string Name, MethodInfo Method)> declared = DeclaredFunctions();
        var indexed = build.Functions.Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(declared.Select(d => d.Name).Order(StringComparer.Ordinal), indexed);
        Assert.All(DurableCatalog.App, e => Assert.Contains(e.Name, indexed));
    }

    [Fact]
    public void FunctionsMetadata_HttpTriggers_HaveTheDeclaredRouteMethodsAndFunctionAuth()
    {
        foreach ((string name, MethodInfo method) in DeclaredFunctions())
        {
            HttpTriggerAttribute? declared = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null);
            if (declared is null)
            {
                continue;
            }

            JsonElement trigger = build.Functions.Single(f => f.GetProperty("name").GetString() == name)
                .GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
            Assert.Equal(declared.Route, trigger.GetProperty("route").GetString());
            Assert.Equal(declared.Methods!.Order(), trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).Order());
            Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        }
    }

    /// <summary>Every <c>[Function]</c> method of the libraries the Functions app is made of.</summary>
    private static IReadOnlyList<(string Name, MethodInfo Method)> DeclaredFunctions()
        => [.. new[] { typeof(DurableCatalog).Assembly, typeof(GreeterFunctions.GreeterOrchestration).Assembly, typeof(ShoppingCart.DurableFunctions.CartEntity).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .Select(m => (m.GetCustomAttribute<FunctionAttribute>()!.Name, m))];

    /// <summary>One Core Tools build for the class: a copy of the repository's files, built into its bin/output.</summary>
    public sealed class Output : IDisposable
    {
        private readonly string copy = Path.Combine(Path.GetTempPath(), $"functionsbench-coretools-{Guid.NewGuid():N}");

        public Output()
        {
            TestLane.RequireFull("dotnet build");
            Directory.CreateDirectory(this.copy);
            foreach (string file in Run("git", Repository.Root, "ls-files", "--cached", "--others", "--exclude-standard").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                string from = Path.Combine(Repository.Root, file);
                if (File.Exists(from))
                {
                    string to = Path.Combine(this.copy, file);
                    Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                    File.Copy(from, to);
                }
            }

            // Exactly what Core Tools runs in the project folder for a dotnet-isolated app.
            Run("dotnet", this.copy, "build", "--output", Path.Combine("bin", "output"));
            this.Folder = Path.Combine(this.copy, "bin", "output");
            this.Files = [.. Directory.EnumerateFiles(this.Folder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(this.Folder, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal)];
            using JsonDocument metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(this.Folder, "functions.metadata")));
            this.Functions = [.. metadata.RootElement.EnumerateArray().Select(e => e.Clone())];
        }

        /// <summary>The build's bin/output.</summary>
        public string Folder { get; }

        /// <summary>Every file of bin/output, relative to it, with '/' between folders.</summary>
        public IReadOnlyList<string> Files { get; }

        /// <summary>The entries of functions.metadata.</summary>
        public IReadOnlyList<JsonElement> Functions { get; }

        public void Dispose() => Directory.Delete(this.copy, recursive: true);

        /// <summary>
        /// The files FunctionsBench.deps.json names for the app's own target: runtime assemblies by file name (they are
        /// copied flat), runtime-specific ones and satellite resources by their path.
        /// </summary>
        public HashSet<string> DepsJsonAssets()
        {
            using JsonDocument deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(this.Folder, "FunctionsBench.deps.json")));
            JsonElement target = deps.RootElement.GetProperty("targets").EnumerateObject().First().Value;
            var assets = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty library in target.EnumerateObject())
            {
                foreach (string group in new[] { "runtime", "native" })
                {
                    if (library.Value.TryGetProperty(group, out JsonElement files))
                    {
                        assets.UnionWith(files.EnumerateObject().Select(f => Path.GetFileName(f.Name)));
                    }
                }

                if (library.Value.TryGetProperty("runtimeTargets", out JsonElement targets))
                {
                    assets.UnionWith(targets.EnumerateObject().Select(f => f.Name));
                }

                if (library.Value.TryGetProperty("resources", out JsonElement resources))
                {
                    assets.UnionWith(resources.EnumerateObject().Select(r => $"{r.Value.GetProperty("locale").GetString()}/{Path.GetFileName(r.Name)}"));
                }
            }

            return assets;
        }

        private static string Run(string program, string directory, params string[] arguments)
        {
            var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} in {directory} failed ({process.ExitCode}):\n{stdout}\n{stderr.Result}");
            return stdout;
        }
    }
}

/// <summary>Where the repository is and what it pins.</summary>
internal static class Repository
{
    /// <summary>The folder with FunctionsBench.sln above the test's output.</summary>
    public static string Root { get; } = Find();

    /// <summary>The version Directory.Packages.props pins for <paramref name="package"/>.</summary>
    public static string PinnedVersion(string package)
        => XDocument.Load(Path.Combine(Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == package).Attribute("Version")!.Value;

    private static string Find()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FunctionsBench.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Repository root not found above " + AppContext.BaseDirectory);
    }
}

using System.Diagnostics;

namespace FunctionsBench.Testing;

/// <summary>What a command of the built host's CLI printed and returned.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Stdout">Everything it wrote to standard output.</param>
/// <param name="Stderr">Everything it wrote to standard error.</param>
public sealed record BenchCliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Both streams, for a failure message.</summary>
    public override string ToString() => $"exit code {this.ExitCode}\nstdout:\n{this.Stdout}\nstderr:\n{this.Stderr}";
}

/// <summary>The built host's CLI (what <c>./bench</c> runs) as a child process, its two streams kept apart.</summary>
public static class BenchCli
{
    /// <summary>The host's entry assembly beside the test's.</summary>
    public static string HostDll => Path.Combine(AppContext.BaseDirectory, "FunctionsBench.Embedded.dll");

    /// <summary>Runs <c>dotnet FunctionsBench.Embedded.dll <paramref name="arguments"/></c> to its end, within <paramref name="timeout"/> (one minute when null).</summary>
    public static async Task<BenchCliResult> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(HostDll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', start.ArgumentList.Skip(1))} did not end within {timeout ?? TimeSpan.FromMinutes(1)}:\n{await stdout}\n{await stderr}");
        }

        return new BenchCliResult(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>A folder under the temporary directory that exists for one test and is deleted with everything in it.</summary>
public sealed class ScratchFolder : IDisposable
{
    /// <summary>Names a new folder <c>{prefix}-{guid}</c>; <paramref name="create"/> makes it now (a command may also make it).</summary>
    public ScratchFolder(string prefix, bool create = false)
    {
        this.Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        if (create)
        {
            Directory.CreateDirectory(this.Path);
        }
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(this.Path, name);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Directory.Exists(this.Path))
        {
            Directory.Delete(this.Path, recursive: true);
        }
    }
}

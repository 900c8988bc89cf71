using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FunctionsBench.Testing;

/// <summary>
/// A process a test starts and watches: its output lines are kept (the last <see cref="KeptLines"/>) and can be waited
/// for; it can be killed as a crash kills (SIGKILL: no shutdown code runs) or asked to stop (SIGTERM).
/// </summary>
public sealed partial class ChildProcess : IDisposable
{
    /// <summary>How many of the last output lines are kept.</summary>
    public const int KeptLines = 2000;

    private const int SigTerm = 15;

    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> waiters = [];
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process) => this.process = process;

    /// <summary>The process id.</summary>
    public int Id => this.process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => this.exited.Task.IsCompleted;

    /// <summary>The kept output (stdout and stderr interleaved as they came), for assertions and failure messages.</summary>
    public string Output => string.Join('\n', this.lines);

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> and, on top of this process's, <paramref name="environment"/>.</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        TestLane.RequireFull($"a child process ({Path.GetFileName(fileName)})");
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var child = new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}."));
        child.process.OutputDataReceived += child.Collect;
        child.process.ErrorDataReceived += child.Collect;
        child.process.EnableRaisingEvents = true;
        child.process.Exited += (_, _) => child.exited.TrySetResult();
        child.process.BeginOutputReadLine();
        child.process.BeginErrorReadLine();
        if (child.process.HasExited)
        {
            child.exited.TrySetResult();
        }

        return child;
    }

    /// <summary>Waits for an output line that <paramref name="match"/> accepts (one already written counts) and returns it.</summary>
    /// <exception cref="InvalidOperationException">The process ended, or <paramref name="timeout"/> passed, first; the output is in the message.</exception>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(match);
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (this.waiters)
        {
            this.waiters.Add((match, found));
        }

        if (this.lines.FirstOrDefault(match) is { } already)
        {
            found.TrySetResult(already);
        }

        Task first = await Task.WhenAny(found.Task, this.exited.Task, Task.Delay(timeout, cancellationToken));
        if (first == found.Task)
        {
            return await found.Task;
        }

        // The process may have written the line just before it ended.
        await Task.Delay(200, CancellationToken.None);
        if (found.Task.IsCompleted)
        {
            return await found.Task;
        }

        cancellationToken.ThrowIfCancellationRequested();
        string why = first == this.exited.Task ? $"the process ended (exit code {this.process.ExitCode})" : $"{timeout.TotalSeconds:0} s passed";
        throw new InvalidOperationException($"Waiting for {what}: {why}. Output:\n{this.Output}");
    }

    /// <summary>Whether some kept output line contains <paramref name="text"/>.</summary>
    public bool Wrote(string text) => this.lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Kills the process at once (SIGKILL) and waits until it is gone.</summary>
    public void Kill()
    {
        if (!this.HasExited)
        {
            try
            {
                this.process.Kill(entireProcessTree: false);
            }
            catch (InvalidOperationException)
            {
                // It ended meanwhile.
            }
        }

        this.process.WaitForExit(10_000);
    }

    /// <summary>Asks the process to stop (SIGTERM) and waits up to <paramref name="timeout"/>; then kills it. Returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!this.HasExited && (OperatingSystem.IsWindows() || Kill(this.process.Id, SigTerm) != 0))
        {
            this.Kill();
        }

        if (await Task.WhenAny(this.exited.Task, Task.Delay(timeout)) != this.exited.Task)
        {
            this.Kill();
        }

        await this.process.WaitForExitAsync();
        return this.process.ExitCode;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        this.Kill();
        this.process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private void Collect(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is not { } line)
        {
            return;
        }

        this.lines.Enqueue(line);
        while (this.lines.Count > KeptLines && this.lines.TryDequeue(out _))
        {
        }

        lock (this.waiters)
        {
            foreach ((Func<string, bool> match, TaskCompletionSource<string> found) in this.waiters)
            {
                if (!found.Task.IsCompleted && match(line))
                {
                    found.TrySetResult(line);
                }
            }
        }
    }
}

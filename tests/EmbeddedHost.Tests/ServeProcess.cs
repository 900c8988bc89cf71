using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FunctionsBench.Embedded.Tests;

/// <summary>
/// The built host's <c>serve</c> command as a child process, so that a test can kill it the way a crash would
/// (<see cref="Kill"/> sends SIGKILL on Linux: no shutdown code runs, leases and dequeued messages stay behind).
/// </summary>
public sealed class ServeProcess : IDisposable
{
    private const string ReadyLine = "Embedded host: ";
    private const int KeptLines = 300;

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource<Uri> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process) => this.process = process;

    /// <summary>The process id.</summary>
    public int Id => this.process.Id;

    /// <summary>Where the API answers.</summary>
    public Uri BaseAddress => this.ready.Task.IsCompletedSuccessfully ? this.ready.Task.Result : throw new InvalidOperationException("serve has not started.");

    /// <summary>The last lines the process wrote (stdout and stderr), for failure messages.</summary>
    public string Output => string.Join('\n', this.output);

    /// <summary>A loopback port that is free now; the caller reuses it across restarts.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts <c>serve</c> on <paramref name="port"/> against the storage account <paramref name="connection"/> (so it
    /// starts no Azurite of its own) and task hub <paramref name="hub"/>, and returns once the API answers.
    /// </summary>
    public static async Task<ServeProcess> StartAsync(int port, string hub, string connection, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "FunctionsBench.Embedded.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--hub", hub, "--connection", connection },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        var serve = new ServeProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet."));
        serve.process.OutputDataReceived += serve.Collect;
        serve.process.ErrorDataReceived += serve.Collect;
        serve.process.EnableRaisingEvents = true;
        serve.process.Exited += (_, _) => serve.ready.TrySetException(new InvalidOperationException("serve exited before it was ready."));
        serve.process.BeginOutputReadLine();
        serve.process.BeginErrorReadLine();
        try
        {
            await serve.ready.Task.WaitAsync(TimeSpan.FromSeconds(90), cancellationToken);
        }
        catch (Exception e)
        {
            serve.Kill();
            serve.Dispose();
            throw new InvalidOperationException($"serve on port {port}, hub {hub} did not start ({e.Message}). Output:\n{serve.Output}", e);
        }

        return serve;
    }

    /// <summary>Kills the process at once (SIGKILL) and waits until it is gone.</summary>
    public void Kill()
    {
        try
        {
            this.process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        this.process.WaitForExit(10_000);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        this.Kill();
        this.process.Dispose();
    }

    private void Collect(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is not { } line)
        {
            return;
        }

        this.output.Enqueue(line);
        while (this.output.Count > KeptLines && this.output.TryDequeue(out _))
        {
        }

        int at = line.IndexOf(ReadyLine, StringComparison.Ordinal);
        if (at >= 0)
        {
            string address = line[(at + ReadyLine.Length)..].Split(' ')[0];
            this.ready.TrySetResult(new Uri(address));
        }
    }
}

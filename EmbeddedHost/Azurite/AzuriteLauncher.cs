using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace FunctionsBench.Embedded.Azurite;

/// <summary>How Azurite is installed, started, probed and signalled: the one place that knows its command line.</summary>
internal static partial class AzuriteLauncher
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    private const string Shell = "/bin/sh";
    private const string SetSid = "/usr/bin/setsid";

    /// <summary>Runs <c>npm ci</c> in <paramref name="tools"/> when Azurite is not installed there; returns the executable.</summary>
    public static async Task<string> InstallAsync(string tools, Action installing, CancellationToken cancellationToken)
    {
        string azurite = Path.Combine(tools, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            installing();
            await RunToCompletionAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], tools, cancellationToken);
        }

        return azurite;
    }

    /// <summary>
    /// Starts Azurite in a session of its own, its output appended to <paramref name="logPath"/>. A terminal's Ctrl+C then
    /// reaches only the host, which stops Azurite after it has stopped using it; and Azurite outlives a host that is
    /// killed, for the other hosts that share it. (setsid execs in place, a child never being a process group leader, so
    /// the process id is Azurite's.)
    /// </summary>
    public static Process Start(string azurite, string tools, IReadOnlyList<string> arguments, string logPath)
    {
        bool detached = !OperatingSystem.IsWindows() && File.Exists(Shell) && File.Exists(SetSid);
        var startInfo = new ProcessStartInfo(detached ? Shell : azurite) { WorkingDirectory = tools, UseShellExecute = false };
        if (detached)
        {
            // A file rather than pipes: a pipe would break, and Azurite with it, when the host that started it dies.
            startInfo.ArgumentList.Add("-c");
            startInfo.ArgumentList.Add($"exec {SetSid} \"$@\" >>\"$0\" 2>&1");
            startInfo.ArgumentList.Add(logPath);
            startInfo.ArgumentList.Add(azurite);
        }

        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {azurite}.");
    }

    /// <summary>The command line for <paramref name="options"/>; <paramref name="dataLocation"/> says where the data goes.</summary>
    public static List<string> Arguments(AzuriteOptions options, string tools, out string dataLocation)
    {
        // --silent and --disableTelemetry: the access log costs 15-20% of throughput and telemetry stalls shutdown.
        var arguments = new List<string>
        {
            "--silent", "--disableTelemetry", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--blobPort", options.BlobPort.ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", options.QueuePort.ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", options.TablePort.ToString(CultureInfo.InvariantCulture),
        };
        if (options.InMemory)
        {
            arguments.Add("--inMemoryPersistence");
            dataLocation = "in memory";
        }
        else
        {
            dataLocation = Path.GetFullPath(options.DataDirectory ?? Path.Combine(tools, ".azurite"));
            Directory.CreateDirectory(dataLocation);
            arguments.Add("--location");
            arguments.Add(dataLocation);
        }

        return arguments;
    }

    /// <summary>Whether each of <paramref name="ports"/> accepts a connection on 127.0.0.1.</summary>
    public static async Task<bool[]> ListeningAsync(IEnumerable<int> ports, CancellationToken cancellationToken)
        => await Task.WhenAll(ports.Select(p => IsListeningAsync(p, cancellationToken)));

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when it could not (gone, or not ours to signal).</summary>
    public static bool Signal(int pid, int signal) => !OperatingSystem.IsWindows() && Kill(pid, signal) == 0;

    /// <summary>Stops a process that is not this one's child: SIGTERM, and SIGKILL after <paramref name="timeout"/>.</summary>
    public static async Task<bool> TerminateAsync(int pid, TimeSpan timeout)
    {
        Signal(pid, SigTerm);
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < timeout; await Task.Delay(100))
        {
            if (!Processes.IsAlive(pid))
            {
                return true;
            }
        }

        Signal(pid, SigKill);
        return false;
    }

    /// <summary>The last lines of <paramref name="logPath"/>, for error messages.</summary>
    public static string Tail(string logPath)
        => File.Exists(logPath) ? string.Join(Environment.NewLine, File.ReadLines(logPath).TakeLast(20)) : "(no output)";

    private static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, attempt.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private static async Task RunToCompletionAsync(string fileName, string[] arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {await stderr}{await stdout}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

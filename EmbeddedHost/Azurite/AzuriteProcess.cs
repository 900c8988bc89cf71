using System.ComponentModel;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsBench.Embedded.Azurite;

/// <summary>
/// The local Azurite storage emulator: reused when something already answers on its ports, otherwise installed from the
/// repository's pinned <c>package.json</c> (<c>npm ci</c>) and started. Stopping stops only a process started here.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const string SetSid = "/usr/bin/setsid";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly AzuriteOptions options;
    private readonly ILogger logger;
    private Process? process;

    private AzuriteProcess(AzuriteOptions options, ILogger logger, Process? process)
    {
        this.options = options;
        this.logger = logger;
        this.process = process;
    }

    /// <summary>Whether this object started the emulator (and so will stop it).</summary>
    public bool IsOwned => this.process is not null;

    /// <summary>The emulator's process id when this object started it.</summary>
    public int? ProcessId => this.process?.Id;

    /// <summary>The connection string of the emulator's development account.</summary>
    public string ConnectionString => ConnectionStringFor(this.options);

    /// <summary>The development account's connection string for an emulator on <paramref name="options"/>' ports.</summary>
    public static string ConnectionStringFor(AzuriteOptions options) => options is { BlobPort: 10000, QueuePort: 10001, TablePort: 10002 }
        ? "UseDevelopmentStorage=true"
        : "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey +
          $";BlobEndpoint=http://127.0.0.1:{options.BlobPort}/devstoreaccount1" +
          $";QueueEndpoint=http://127.0.0.1:{options.QueuePort}/devstoreaccount1" +
          $";TableEndpoint=http://127.0.0.1:{options.TablePort}/devstoreaccount1";

    /// <summary>Reuses a running emulator or starts one, and waits until all three services answer.</summary>
    public static async Task<AzuriteProcess> EnsureStartedAsync(AzuriteOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options ??= new AzuriteOptions();
        logger ??= NullLogger.Instance;
        int[] ports = [options.BlobPort, options.QueuePort, options.TablePort];

        bool[] open = await Task.WhenAll(ports.Select(p => IsListeningAsync(p, cancellationToken)));
        if (open.All(o => o))
        {
            logger.AzuriteReused(options.BlobPort, options.QueuePort, options.TablePort);
            return new AzuriteProcess(options, logger, process: null);
        }

        if (open.Any(o => o))
        {
            throw new InvalidOperationException(
                $"Only some of the ports {string.Join(", ", ports)} answer on 127.0.0.1: another program holds them. Stop it, or choose other ports.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartTimeout);
        string tools = options.ToolsDirectory ?? FindToolsDirectory();
        string azurite = Path.Combine(tools, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            logger.NpmInstalling(tools);
            await RunToCompletionAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], tools, timeout.Token);
        }

        // In its own session, a terminal's Ctrl+C reaches only this process, which then stops Azurite after the host has
        // stopped using it; otherwise Azurite would die first and the host's shutdown would wait on unreachable storage.
        // (setsid execs in place here, since a child process is never a process group leader: the pid stays Azurite's.)
        bool ownSession = !OperatingSystem.IsWindows() && File.Exists(SetSid);
        var startInfo = new ProcessStartInfo(ownSession ? SetSid : azurite)
        {
            WorkingDirectory = tools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (ownSession)
        {
            startInfo.ArgumentList.Add(azurite);
        }

        List<string> arguments = Arguments(options, tools, out string dataLocation);
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        logger.AzuriteStarting(dataLocation);
        var stopwatch = Stopwatch.StartNew();
        Process started = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {azurite}.");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Collect(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is { } line)
            {
                output.Enqueue(line);
                logger.AzuriteOutput(line);
            }
        }

        started.OutputDataReceived += Collect;
        started.ErrorDataReceived += Collect;
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        var result = new AzuriteProcess(options, logger, started);
        try
        {
            while (!(await Task.WhenAll(ports.Select(p => IsListeningAsync(p, timeout.Token)))).All(o => o))
            {
                if (started.HasExited)
                {
                    throw new InvalidOperationException($"Azurite exited with code {started.ExitCode} before it answered: {string.Join(Environment.NewLine, output)}");
                }

                await Task.Delay(100, timeout.Token);
            }
        }
        catch
        {
            await result.StopAsync();
            throw;
        }

        logger.AzuriteStarted(started.Id, stopwatch.ElapsedMilliseconds);
        return result;
    }

    /// <summary>Stops the emulator if this object started it: SIGTERM, then a kill after <see cref="AzuriteOptions.StopTimeout"/>.</summary>
    public async Task StopAsync()
    {
        Process? owned = Interlocked.Exchange(ref this.process, null);
        if (owned is null)
        {
            return;
        }

        using (owned)
        {
            if (!owned.HasExited)
            {
                if (OperatingSystem.IsWindows() || Kill(owned.Id, SigTerm) != 0)
                {
                    owned.Kill(entireProcessTree: true);
                }

                using var timeout = new CancellationTokenSource(this.options.StopTimeout);
                try
                {
                    await owned.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    this.logger.AzuriteKilled(owned.Id, this.options.StopTimeout);
                    owned.Kill(entireProcessTree: true);
                    await owned.WaitForExitAsync(CancellationToken.None);
                }
            }

            this.logger.AzuriteStopped(owned.Id);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await this.StopAsync();

    /// <summary>The first ancestor of the application folder with a <c>package.json</c> that pins Azurite.</summary>
    public static string FindToolsDirectory()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string packageJson = Path.Combine(directory.FullName, "package.json");
            if (File.Exists(packageJson) && File.ReadAllText(packageJson).Contains("\"azurite\"", StringComparison.Ordinal))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No package.json pinning azurite above {AppContext.BaseDirectory}; set {AzuriteOptions.Section}:{nameof(AzuriteOptions.ToolsDirectory)}.");
    }

    private static List<string> Arguments(AzuriteOptions options, string tools, out string dataLocation)
    {
        // --silent and --disableTelemetry: the access log costs 15-20% of throughput and telemetry stalls shutdown.
        var arguments = new List<string>
        {
            "--silent", "--disableTelemetry", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--blobPort", options.BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", options.QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", options.TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
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

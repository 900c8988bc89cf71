using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsBench.Embedded.Azurite;

/// <summary>How this host came to use the emulator.</summary>
public enum AzuriteOrigin
{
    /// <summary>This host started it.</summary>
    Started,

    /// <summary>Another host of this repository started it and is still using it (several workers on one task hub).</summary>
    Shared,

    /// <summary>A host of this repository started it and is gone (killed, crashed) without stopping it.</summary>
    Orphaned,

    /// <summary>Something else started it; it is used as it runs and left running.</summary>
    External,
}

/// <summary>
/// The local Azurite storage emulator, the one way this repository starts it (hosts, tests and scripts). One that
/// already answers on its ports is reused; otherwise it is installed from the repository's pinned <c>package.json</c>
/// (<c>npm ci</c>) and started. Hosts in other processes share it (see <see cref="AzuriteUsers"/>): it is stopped when
/// the last host using it stops, whichever host started it, and one that a killed host left behind is reported, not
/// reused unnoticed. An emulator this repository did not start is never stopped.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    private readonly AzuriteOptions options;
    private readonly ILogger logger;
    private readonly string entry;
    private Process? process;
    private int left;

    private AzuriteProcess(AzuriteOptions options, ILogger logger, string entry, Process? process, int? processId, AzuriteOrigin origin, IReadOnlyList<int> goneHosts)
    {
        this.options = options;
        this.logger = logger;
        this.entry = entry;
        this.process = process;
        this.ProcessId = processId;
        this.Origin = origin;
        this.GoneHosts = goneHosts;
    }

    /// <summary>Whether this object started the emulator.</summary>
    public bool IsOwned => this.Origin == AzuriteOrigin.Started;

    /// <summary>How this host came to use the emulator.</summary>
    public AzuriteOrigin Origin { get; }

    /// <summary>The emulator's process id, when a host of this repository started it.</summary>
    public int? ProcessId { get; }

    /// <summary>For <see cref="AzuriteOrigin.Orphaned"/>: the hosts that used it and are gone.</summary>
    public IReadOnlyList<int> GoneHosts { get; }

    /// <summary>The emulator's ports: blob, queue, table.</summary>
    public IReadOnlyList<int> Ports => [this.options.BlobPort, this.options.QueuePort, this.options.TablePort];

    /// <summary>The connection string of the emulator's development account.</summary>
    public string ConnectionString => ConnectionStringFor(this.options);

    /// <summary>The development account's connection string for an emulator on <paramref name="options"/>' ports.</summary>
    public static string ConnectionStringFor(AzuriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options is { BlobPort: 10000, QueuePort: 10001, TablePort: 10002 }
            ? "UseDevelopmentStorage=true"
            : "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey +
              $";BlobEndpoint=http://127.0.0.1:{options.BlobPort}/devstoreaccount1" +
              $";QueueEndpoint=http://127.0.0.1:{options.QueuePort}/devstoreaccount1" +
              $";TableEndpoint=http://127.0.0.1:{options.TablePort}/devstoreaccount1";
    }

    /// <summary>Reuses a running emulator or starts one, waits until all three services answer, and joins its users.</summary>
    public static async Task<AzuriteProcess> EnsureStartedAsync(AzuriteOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options ??= new AzuriteOptions();
        logger ??= NullLogger.Instance;
        int[] ports = [options.BlobPort, options.QueuePort, options.TablePort];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartTimeout);

        // Held while looking and starting, so two hosts starting at once start one emulator.
        (AzuriteUsers users, IDisposable held) = await AzuriteUsers.LockAsync(options.BlobPort, options.StartTimeout, timeout.Token);
        using (held)
        {
            string entry = AzuriteUsers.NewEntry();
            AzuriteRecord? record = users.Read(out IReadOnlyList<int> gone);
            bool[] open = await AzuriteLauncher.ListeningAsync(ports, timeout.Token);
            if (open.All(o => o))
            {
                return Join(options, logger, users, record, gone, entry);
            }

            if (open.Any(o => o))
            {
                throw new InvalidOperationException(
                    $"Only some of the ports {string.Join(", ", ports)} answer on 127.0.0.1: another program holds them. Stop it, or choose other ports.");
            }

            return await StartAsync(options, logger, users, entry, timeout.Token);
        }
    }

    /// <summary>
    /// Leaves the emulator's users; the last host to leave stops it (SIGTERM, then a kill after
    /// <see cref="AzuriteOptions.StopTimeout"/>) unless something else started it.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref this.left, 1) == 1)
        {
            return;
        }

        using Process? owned = Interlocked.Exchange(ref this.process, null);
        (AzuriteUsers users, IDisposable held) = await AzuriteUsers.LockAsync(this.options.BlobPort, LockTimeout, CancellationToken.None);
        using (held)
        {
            AzuriteRecord? record = users.Read(out _);
            string[] others = [.. record?.Users.Where(u => u != this.entry) ?? []];
            if (record is not null && others.Length > 0)
            {
                users.Write(record with { Users = others });
                if (record.AzuritePid is int running)
                {
                    this.logger.AzuriteLeftRunning(running, string.Join(", ", others.Select(AzuriteUsers.ProcessOf).Distinct()));
                }

                return;
            }

            if (record is not null)
            {
                users.Delete();
            }

            int? pid = record is null ? owned?.Id : record.AzuritePid;
            if (pid is int stop)
            {
                await this.StopEmulatorAsync(stop, owned);
            }
        }
    }

    /// <summary>Completes when an emulator whose process id is known exits; never for one started by something else.</summary>
    public async Task WaitForExitAsync(CancellationToken cancellationToken)
    {
        if (this.process is { } owned)
        {
            await owned.WaitForExitAsync(cancellationToken);
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (this.ProcessId is not int pid || Processes.IsAlive(pid))
        {
            await timer.WaitForNextTickAsync(cancellationToken);
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

    private static AzuriteProcess Join(AzuriteOptions options, ILogger logger, AzuriteUsers users, AzuriteRecord? record, IReadOnlyList<int> gone, string entry)
    {
        if (record is { AzuritePid: int pid } && Processes.IsAzurite(pid))
        {
            AzuriteOrigin origin = record.Users.Count > 0 ? AzuriteOrigin.Shared : AzuriteOrigin.Orphaned;
            if (origin == AzuriteOrigin.Shared)
            {
                logger.AzuriteShared(pid, options.BlobPort, string.Join(", ", record.Users.Select(AzuriteUsers.ProcessOf).Distinct()));
            }
            else
            {
                logger.AzuriteOrphaned(pid, options.BlobPort, record.DataLocation ?? "not known", gone.Count == 0 ? "none recorded" : string.Join(", ", gone));
            }

            users.Write(record with { Users = [.. record.Users, entry] });
            return new AzuriteProcess(options, logger, entry, process: null, pid, origin, origin == AzuriteOrigin.Orphaned ? gone : []);
        }

        logger.AzuriteReused(options.BlobPort, options.QueuePort, options.TablePort);
        IReadOnlyList<string> sharing = record is { AzuritePid: null } ? record.Users : [];
        users.Write(new AzuriteRecord(null, null, null, [.. sharing, entry]));
        return new AzuriteProcess(options, logger, entry, process: null, processId: null, AzuriteOrigin.External, []);
    }

    private static async Task<AzuriteProcess> StartAsync(AzuriteOptions options, ILogger logger, AzuriteUsers users, string entry, CancellationToken cancellationToken)
    {
        string tools = options.ToolsDirectory ?? FindToolsDirectory();
        string azurite = await AzuriteLauncher.InstallAsync(tools, () => logger.NpmInstalling(tools), cancellationToken);
        List<string> arguments = AzuriteLauncher.Arguments(options, tools, out string dataLocation);
        string logPath = options.InMemory
            ? Path.Combine(AzuriteUsers.Folder, $"{options.BlobPort}.log")
            : Path.Combine(dataLocation, "azurite.log");

        logger.AzuriteStarting(dataLocation);
        var stopwatch = Stopwatch.StartNew();
        Process started = AzuriteLauncher.Start(azurite, tools, arguments, logPath);
        try
        {
            while (!(await AzuriteLauncher.ListeningAsync([options.BlobPort, options.QueuePort, options.TablePort], cancellationToken)).All(o => o))
            {
                if (started.HasExited)
                {
                    throw new InvalidOperationException($"Azurite exited with code {started.ExitCode} before it answered ({logPath}): {AzuriteLauncher.Tail(logPath)}");
                }

                await Task.Delay(100, cancellationToken);
            }
        }
        catch
        {
            started.Kill(entireProcessTree: true);
            await started.WaitForExitAsync(CancellationToken.None);
            started.Dispose();
            throw;
        }

        users.Write(new AzuriteRecord(started.Id, dataLocation, Environment.ProcessId, [entry]));
        logger.AzuriteStarted(started.Id, stopwatch.ElapsedMilliseconds);
        return new AzuriteProcess(options, logger, entry, started, started.Id, AzuriteOrigin.Started, []);
    }

    private async Task StopEmulatorAsync(int pid, Process? owned)
    {
        if (owned is not null && owned.Id == pid)
        {
            if (owned.HasExited)
            {
                return;
            }

            if (!AzuriteLauncher.Signal(pid, AzuriteLauncher.SigTerm))
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
                this.logger.AzuriteKilled(pid, this.options.StopTimeout);
                owned.Kill(entireProcessTree: true);
                await owned.WaitForExitAsync(CancellationToken.None);
            }
        }
        else if (!Processes.IsAzurite(pid))
        {
            return;
        }
        else if (!await AzuriteLauncher.TerminateAsync(pid, this.options.StopTimeout))
        {
            this.logger.AzuriteKilled(pid, this.options.StopTimeout);
        }

        this.logger.AzuriteStopped(pid);
    }
}

using System.CommandLine;
using FunctionsBench.Embedded.Azurite;
using FunctionsBench.Embedded.Web;

namespace FunctionsBench.Embedded.Commands;

/// <summary>
/// The options every command that runs the embedded host shares: storage, HTTP, the host.json that configures the
/// Durable Functions extension and single keys set on top of it (unset flags leave host.json's values).
/// </summary>
internal sealed class HostCommandOptions(string hubDefault = "host.json's hubName")
{
    public Option<int> Port { get; } = new("--port") { Description = "HTTP port (0 picks a free one)", DefaultValueFactory = _ => EmbeddedWebHostOptions.DefaultPort };

    public Option<string> Bind { get; } = new("--bind") { Description = "Address to listen on: an IP address, localhost or *; anything but loopback requires --api-key", DefaultValueFactory = _ => "127.0.0.1" };

    public Option<string?> ApiKey { get; } = new("--api-key") { Description = "Function key required on every request (x-functions-key header or ?code=); default: $FUNCTIONSBENCH_API_KEY" };

    public Option<string?> HostJson { get; } = new("--host-json") { Description = "host.json whose extensions section configures the Durable Functions extension (default: the repository's; host.defaults.json has the extension's defaults)" };

    public Option<string?> Hub { get; } = new("--hub") { Description = $"Task hub name, letters and digits (sets durableTask.hubName; default: {hubDefault})" };

    public Option<string?> Connection { get; } = new("--connection") { Description = "Storage connection string; when given, no local Azurite is started" };

    public Option<int?> Partitions { get; } = new("--partitions") { Description = "Control queues of a new task hub, 1-16 (sets storageProvider.partitionCount)" };

    public Option<bool?> ExtendedSessions { get; } = new("--extended-sessions") { Description = "Keep orchestrations and entities in memory between episodes (sets extendedSessionsEnabled)" };

    public Option<int?> MaxPollingMs { get; } = new("--max-polling-ms") { Description = "Longest idle queue polling interval, ms (sets storageProvider.maxQueuePollingInterval)" };

    public Option<int?> ControlBatch { get; } = new("--control-batch") { Description = "Control queue messages fetched per poll, 1-32 (sets storageProvider.controlQueueBatchSize)" };

    public Option<string?> AzuriteData { get; } = new("--azurite-data") { Description = "Azurite data folder (default: .azurite in the repository)" };

    public Option<int> AzuritePort { get; } = CreateAzuritePortOption();

    public Option<string> AzuriteMode { get; } = CreateAzuriteModeOption();

    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Log the host's, the extension's and the storage provider's information messages too" };

    /// <summary>Adds the options to <paramref name="command"/>; <paramref name="http"/> says whether it serves HTTP.</summary>
    public void AddTo(Command command, bool http)
    {
        if (http)
        {
            command.Options.Add(this.Port);
            command.Options.Add(this.Bind);
            command.Options.Add(this.ApiKey);
        }

        foreach (Option option in new Option[] { this.HostJson, this.Hub, this.Connection, this.Partitions, this.ExtendedSessions, this.MaxPollingMs, this.ControlBatch, this.AzuriteData, this.AzuritePort, this.AzuriteMode, this.Verbose })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// Checks the host flags as the host's validator will, before anything starts: a flag that cannot work is a
    /// <see cref="CliException"/> naming each problem.
    /// </summary>
    /// <remarks>With <paramref name="readHostJson"/>, host.json is read too, so a malformed one is refused here, not after Azurite started.</remarks>
    public void Check(ParseResult result, string? hostJsonPath = null, bool readHostJson = false)
    {
        EmbeddedHostOptions options = this.Durable(result, azurite: null, connection: result.GetValue(this.Connection) ?? EmbeddedHostOptions.DevelopmentStorage);
        options.HostJsonPath = hostJsonPath ?? options.HostJsonPath;
        var validation = new EmbeddedHostOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new CliException(string.Join(" ", validation.Failures ?? []));
        }

        if (readHostJson)
        {
            string path = options.ResolveHostJsonPath();
            try
            {
                HostJsonSettings.Load(path);
            }
            catch (InvalidDataException e)
            {
                throw new CliException($"--host-json: {path} is not valid JSON: {e.GetBaseException().Message}");
            }
        }
    }

    /// <summary>
    /// The local Azurite, started or reused, unless <c>--connection</c> names other storage (then null). An Azurite that
    /// already answers is reused as it is, so <c>--azurite</c> cannot apply to it: a warning says so when it was given.
    /// </summary>
    public async Task<AzuriteProcess?> StartAzuriteAsync(ParseResult result, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        if (result.GetValue(this.Connection) is not null)
        {
            return null;
        }

        ILogger logger = loggerFactory.CreateLogger<AzuriteProcess>();
        AzuriteProcess azurite;
        try
        {
            azurite = await AzuriteProcess.EnsureStartedAsync(this.Azurite(result), logger, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            throw new CliException($"the local Azurite could not start: {e.Message}", exitCode: 1);
        }

        if (!azurite.IsOwned && result.GetResult(this.AzuriteMode) is { Implicit: false })
        {
            logger.LogWarning("An Azurite already answers on its ports; it is used as it runs, so --azurite {Mode} does not apply and the results record its mode as not known.", result.GetValue(this.AzuriteMode));
        }

        return azurite;
    }

    /// <summary>The durable host's options: the storage is <c>--connection</c>, else <paramref name="azurite"/>.</summary>
    public EmbeddedHostOptions Durable(ParseResult result, AzuriteProcess? azurite, string? connection = null) => new()
    {
        ConnectionString = connection ?? result.GetValue(this.Connection) ?? azurite?.ConnectionString
            ?? throw new InvalidOperationException("Neither --connection nor a local Azurite gives the storage."),
        AzuriteMode = azurite is { IsOwned: true } ? result.GetRequiredValue(this.AzuriteMode) : null,
        HostJsonPath = result.GetValue(this.HostJson),
        TaskHubName = result.GetValue(this.Hub),
        PartitionCount = result.GetValue(this.Partitions),
        ExtendedSessionsEnabled = result.GetValue(this.ExtendedSessions),
        MaxQueuePollingInterval = result.GetValue(this.MaxPollingMs) is int ms ? TimeSpan.FromMilliseconds(ms) : null,
        ControlQueueBatchSize = result.GetValue(this.ControlBatch),
    };

    public EmbeddedWebHostOptions Web(ParseResult result) => new()
    {
        Port = result.GetValue(this.Port),
        BindAddress = result.GetRequiredValue(this.Bind),
        ApiKey = result.GetValue(this.ApiKey) ?? Environment.GetEnvironmentVariable("FUNCTIONSBENCH_API_KEY"),
    };

    public AzuriteOptions Azurite(ParseResult result)
    {
        int port = result.GetValue(this.AzuritePort);
        return new AzuriteOptions
        {
            DataDirectory = result.GetValue(this.AzuriteData),
            InMemory = result.GetRequiredValue(this.AzuriteMode) == "memory",
            BlobPort = port,
            QueuePort = port + 1,
            TablePort = port + 2,
        };
    }

    /// <summary>Says whether the local Azurite holds other task hubs' messages (nothing for <c>--connection</c> storage).</summary>
    public static Task ReportLeftoversAsync(AzuriteProcess? azurite, string taskHub, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
        => azurite is null
            ? Task.CompletedTask
            : AzuriteLeftovers.ReportAsync(azurite, taskHub, loggerFactory.CreateLogger<AzuriteProcess>(), cancellationToken);

    private static Option<int> CreateAzuritePortOption()
    {
        var option = new Option<int>("--azurite-port")
        {
            Description = "Blob port of the local Azurite; queue and table take the next two (default 10000). Hosts on one port share one Azurite",
            DefaultValueFactory = _ => 10000,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1024 or > 65533)
            {
                result.AddError("--azurite-port must be 1024 to 65533 (the queue and table services take the next two ports).");
            }
        });
        return option;
    }

    private static Option<string> CreateAzuriteModeOption()
    {
        var option = new Option<string>("--azurite")
        {
            Description = "How a local Azurite started here keeps its data: disk (survives a crash; needed by crash recovery) or memory " +
                "(faster; lost when Azurite stops, and it pauses on message clean-up every minute, so for short runs)",
            DefaultValueFactory = _ => "disk",
        };
        option.AcceptOnlyFromAmong([.. StorageSetup.AzuriteModes]);
        return option;
    }
}

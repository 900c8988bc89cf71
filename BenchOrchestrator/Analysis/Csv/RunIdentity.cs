using System.Security.Cryptography;
using System.Text.Json;

namespace FunctionsBench.BenchOrchestrator.Csv;

/// <summary>
/// What every CSV row of a run carries first, so rows of several runs pasted into one table still say which run and
/// configuration they came from: two runs in the same mode on different host.json settings, storage or code differ in
/// at least one of these columns.
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="Host"><c>functions</c> or <c>embedded</c>.</param>
/// <param name="StorageProvider">The durable storage provider.</param>
/// <param name="Mode"><c>single</c> or <c>checkpointed</c>.</param>
/// <param name="Parallelism">Invocations in flight.</param>
/// <param name="CheckpointEvery">Invocations between checkpoints (checkpointed mode).</param>
/// <param name="StartedAt">When the run started (UTC).</param>
public sealed record RunIdentity(string RunId, string Host, string StorageProvider, string Mode, int Parallelism, int CheckpointEvery, DateTime StartedAt)
{
    /// <summary>The identity columns, in order.</summary>
    public const string Header = "runId,host,storageProvider,mode,parallelism,checkpointEvery,startedAtUtc," +
        "azuriteMode,partitionCount,extendedSessions,maxQueuePollingIntervalMs,controlQueueBatchSize,hostJsonSha256,stateFunLabel,gitCommit";

    /// <summary>The Azurite mode (<c>disk</c>, <c>memory</c>), <c>account</c> for a storage account, empty when not known.</summary>
    public string? AzuriteMode { get; init; }

    /// <summary>The Azure Storage provider's partition count.</summary>
    public int? PartitionCount { get; init; }

    /// <summary>Whether extended sessions were on.</summary>
    public bool? ExtendedSessions { get; init; }

    /// <summary>The provider's maximum queue polling interval in milliseconds.</summary>
    public int? MaxQueuePollingIntervalMs { get; init; }

    /// <summary>The provider's control-queue batch size.</summary>
    public int? ControlQueueBatchSize { get; init; }

    /// <summary>The first 16 hex digits of the SHA-256 of the host.json the run used (compact JSON), empty when not recorded.</summary>
    public string? HostJsonSha256 { get; init; }

    /// <summary>The StateFun endpoint's label (what played the remote function).</summary>
    public string? StateFunLabel { get; init; }

    /// <summary>The commit of the code that ran.</summary>
    public string? GitCommit { get; init; }

    /// <summary>
    /// The units (scenario, N, repetition) whose HTTP floor ran in turns with their logins: their events carry
    /// <c>afterFloorSlice</c> (not a column of its own).
    /// </summary>
    public IReadOnlySet<(string Scenario, int Invocations, int Repetition)> FloorInTurns { get; init; } = new HashSet<(string, int, int)>();

    /// <summary>The identity of <paramref name="document"/>'s run.</summary>
    public static RunIdentity Of(ResultsDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return With(
            new(document.RunId, document.Host, document.StorageProvider, document.Settings.Mode, document.Settings.Parallelism, document.Settings.CheckpointEvery, document.StartedAt),
            document.Storage, document.Environment, document.StateFun?.Label ?? document.Settings.StateFunLabel) with
        {
            FloorInTurns = document.Results.Where(r => r.FloorSource == ScenarioResult.TurnsFloor).Select(r => (r.Scenario, r.Invocations, r.Repetition)).ToHashSet(),
        };
    }

    /// <summary>The identity of a run from its input (a run still going has no document yet), started at <paramref name="startedAt"/>.</summary>
    public static RunIdentity Of(BenchRun run, DateTime startedAt)
    {
        ArgumentNullException.ThrowIfNull(run);
        return With(
            new(run.RunId, run.Host, run.StorageProvider, run.Settings.Mode, run.Settings.Parallelism, run.Settings.CheckpointEvery, startedAt),
            run.Storage, run.Environment, run.DescribeStateFun().Label);
    }

    /// <summary>The first 16 hex digits of the SHA-256 of <paramref name="hostJson"/> written compactly; null without one.</summary>
    public static string? HashHostJson(JsonElement? hostJson)
    {
        if (hostJson is not { ValueKind: JsonValueKind.Object or JsonValueKind.Array } json)
        {
            return null;
        }

        byte[] compact = JsonSerializer.SerializeToUtf8Bytes(json);
        return Convert.ToHexStringLower(SHA256.HashData(compact))[..16];
    }

    /// <summary>The identity columns of one row, without a trailing comma.</summary>
    public string Columns()
        => string.Join(',', CsvText.Field(this.RunId), CsvText.Field(this.Host), CsvText.Field(this.StorageProvider), CsvText.Field(this.Mode),
            this.Parallelism.ToString(CultureInfo.InvariantCulture), this.CheckpointEvery.ToString(CultureInfo.InvariantCulture), CsvText.Time(this.StartedAt),
            CsvText.Field(this.AzuriteMode), Whole(this.PartitionCount), this.ExtendedSessions is bool extended ? (extended ? "true" : "false") : string.Empty,
            Whole(this.MaxQueuePollingIntervalMs), Whole(this.ControlQueueBatchSize), CsvText.Field(this.HostJsonSha256), CsvText.Field(this.StateFunLabel),
            CsvText.Field(this.GitCommit));

    private static RunIdentity With(RunIdentity identity, StorageSetup? storage, RunEnvironment? environment, string? stateFunLabel) => identity with
    {
        AzuriteMode = storage is null ? null : storage.Emulator ? storage.AzuriteMode : storage.Account is null ? null : "account",
        PartitionCount = storage?.PartitionCount,
        ExtendedSessions = storage?.ExtendedSessions,
        MaxQueuePollingIntervalMs = storage?.MaxQueuePollingIntervalMs,
        ControlQueueBatchSize = storage?.ControlQueueBatchSize,
        HostJsonSha256 = HashHostJson(environment?.HostJson),
        StateFunLabel = stateFunLabel,
        GitCommit = environment?.GitCommit,
    };

    private static string Whole(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
}

namespace FunctionsBench.BenchOrchestrator.Csv;

/// <summary>
/// What every CSV row of a run carries first, so rows of several runs pasted into one table still say which run and
/// configuration they came from.
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
    public const string Header = "runId,host,storageProvider,mode,parallelism,checkpointEvery,startedAtUtc";

    /// <summary>The identity of <paramref name="document"/>'s run.</summary>
    public static RunIdentity Of(ResultsDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new(document.RunId, document.Host, document.StorageProvider, document.Settings.Mode, document.Settings.Parallelism,
            document.Settings.CheckpointEvery, document.StartedAt);
    }

    /// <summary>The identity columns of one row, without a trailing comma.</summary>
    public string Columns()
        => string.Join(',', CsvText.Field(this.RunId), CsvText.Field(this.Host), CsvText.Field(this.StorageProvider), CsvText.Field(this.Mode),
            this.Parallelism.ToString(CultureInfo.InvariantCulture), this.CheckpointEvery.ToString(CultureInfo.InvariantCulture), CsvText.Time(this.StartedAt));
}

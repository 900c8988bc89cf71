using FunctionsBench.BenchOrchestrator.Compare;

namespace FunctionsBench.BenchOrchestrator.Thesis;

/// <summary>One aspect of how a run was made, beside how the thesis made its measurements.</summary>
/// <param name="Aspect">What is compared: mode, host.json, storage, StateFun runtime.</param>
/// <param name="ThisRun">How this run did it.</param>
/// <param name="Thesis">How the thesis did it.</param>
/// <param name="Matches">Whether this run did it as the thesis did.</param>
/// <param name="Procedure">
/// True for what the bench can reproduce (mode, host.json); false for the platform (storage, StateFun runtime), which a
/// run on this machine cannot.
/// </param>
public sealed record ProcedureAspect(string Aspect, string ThisRun, string Thesis, bool Matches, bool Procedure);

/// <summary>
/// Whether a run followed the thesis' procedure (single mode on the extension's default host.json, as <c>./bench run
/// --thesis</c> does), so that its ratios to the thesis compare like with like; and the platform differences that remain
/// even then (an emulator for the Azure Storage account, the bench's driver for a Flink cluster).
/// </summary>
public sealed record ProcedureCheck(IReadOnlyList<ProcedureAspect> Aspects)
{
    /// <summary>The extension's default partition count (Azure Storage provider).</summary>
    public const int DefaultPartitionCount = 4;

    /// <summary>The extension's default maximum queue polling interval.</summary>
    public const int DefaultMaxQueuePollingIntervalMs = 30_000;

    /// <summary>The extension's default control-queue batch size.</summary>
    public const int DefaultControlQueueBatchSize = 32;

    /// <summary>The label of every ratio to the thesis when the procedure differs.</summary>
    public const string NotSameProcedure = "not the same procedure";

    /// <summary>What <c>./bench run --thesis</c> does, for the note under a comparison that is not the thesis' procedure.</summary>
    public const string ThesisFlag =
        "./bench run --thesis runs the thesis' procedure: single mode (one orchestration per unit, its history growing with N), the extension's default " +
        "host.json (host.defaults.json), df-activity at Table 5.4's N and statefun at Table 5.3's, 5 repetitions";

    /// <summary>True when mode and host.json are the thesis' (storage and StateFun's runtime may still differ).</summary>
    public bool SameProcedure => this.Aspects.Where(a => a.Procedure).All(a => a.Matches);

    /// <summary>The aspects of the platform that differ from the thesis' even when the procedure is the same.</summary>
    public IEnumerable<ProcedureAspect> PlatformDifferences => this.Aspects.Where(a => !a.Procedure && !a.Matches);

    /// <summary>The label a ratio to the thesis carries: the procedure and, where it matches, what still differs.</summary>
    public string RatioLabel => this.SameProcedure
        ? (this.PlatformDifferences.Any() ? "same procedure; " + string.Join(" and ", this.PlatformDifferences.Select(a => a.Aspect)) + " differ" : "same procedure")
        : NotSameProcedure;

    /// <summary>How <paramref name="document"/>'s run was made against the thesis.</summary>
    public static ProcedureCheck Of(ResultsDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        BenchSettings s = document.Settings;
        StorageSetup? storage = document.Storage;
        var aspects = new List<ProcedureAspect>
        {
            new(
                "mode",
                s.Mode == BenchModes.Checkpointed ? I($"checkpointed (a fresh orchestration every {s.CheckpointEvery} invocations)") : I($"{s.Mode} (one orchestration per unit)"),
                "single (one orchestration per unit, its history growing with N)",
                s.Mode == ThesisTables.Mode && s.Parallelism == 1,
                Procedure: true),
            HostJson(document.StorageProvider, storage),
            new(
                "storage",
                storage is null ? "not recorded" : storage.Emulator ? $"Azurite{(storage.AzuriteMode is { } mode ? $" ({mode})" : string.Empty)} on this machine" : $"account {storage.Account ?? "not known"}",
                "an Azure Storage account",
                storage is { Emulator: false, Account: not null },
                Procedure: false),
        };
        if (document.StateFun is { } stateFun)
        {
            aspects.Add(new(
                "StateFun runtime",
                stateFun.Runtime,
                "a Flink cluster (docker-compose, 1 task manager), messages sent with cURL",
                stateFun.Runtime != StateFunEndpoint.EmulatedRuntime,
                Procedure: false));
        }

        return new ProcedureCheck(aspects);
    }

    /// <summary>The thesis' mode was single with one invocation in flight, its host.json the extension's defaults.</summary>
    private static ProcedureAspect HostJson(string provider, StorageSetup? storage)
    {
        const string thesis = "the extension's defaults (4 partitions, no extended sessions, max polling 30 s, control batch 32)";
        if (provider != "AzureStorage")
        {
            return new("host.json", $"storage provider {provider}", "the Azure Storage provider, " + thesis, false, Procedure: true);
        }

        if (storage is null || storage.PartitionCount is null || storage.ExtendedSessions is null || storage.MaxQueuePollingIntervalMs is null)
        {
            return new("host.json", "its settings were not recorded", thesis, false, Procedure: true);
        }

        var differs = new List<string>();
        if (storage.PartitionCount != DefaultPartitionCount)
        {
            differs.Add(storage.PartitionCount == 1 ? "1 partition" : I($"{storage.PartitionCount} partitions"));
        }

        if (storage.ExtendedSessions == true)
        {
            differs.Add("extended sessions");
        }

        if (storage.MaxQueuePollingIntervalMs != DefaultMaxQueuePollingIntervalMs)
        {
            differs.Add(I($"max polling {storage.MaxQueuePollingIntervalMs} ms"));
        }

        if (storage.ControlQueueBatchSize is int batch && batch != DefaultControlQueueBatchSize)
        {
            differs.Add(I($"control batch {batch}"));
        }

        return differs.Count == 0
            ? new("host.json", "the extension's defaults", thesis, true, Procedure: true)
            : new("host.json", "tuned: " + string.Join(", ", differs), thesis, false, Procedure: true);
    }

    /// <summary>
    /// The 95% interval of StateFun's invocations/s over a Durable Functions scenario's, from the repetitions of both
    /// (null with fewer than two repetitions on either side).
    /// </summary>
    public static (double Ratio, double Low, double High)? HeadToHeadInterval(ResultsDocument document, string durable, int invocations)
    {
        ArgumentNullException.ThrowIfNull(document);
        double[] Rates(string scenario) => [.. document.Results.Where(r => r.Scenario == scenario && r.Invocations == invocations).Select(r => r.InvocationsPerSecond)];
        return Significance.RatioInterval(Rates(durable), Rates(Scenarios.StateFun));
    }

    /// <summary>
    /// The 95% interval of this run's events/s over the thesis' (a constant) at <paramref name="summary"/>'s N: the run's
    /// own confidence interval divided by the thesis' figure; null with fewer than two repetitions.
    /// </summary>
    public static (double Low, double High)? SpeedUpInterval(ScenarioSummary summary, ThesisRow thesis)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(thesis);
        return summary.Ci95 is double ci && summary.Repetitions > 1
            ? ((summary.MeanEventsPerSecond - ci) / thesis.EventsPerSecond, (summary.MeanEventsPerSecond + ci) / thesis.EventsPerSecond)
            : null;
    }

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

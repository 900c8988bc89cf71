using Microsoft.Extensions.Options;

namespace FunctionsBench.BenchOrchestrator.Floors;

/// <summary>
/// How the floors are measured (section <c>Bench:Floors</c>, environment variables <c>Bench__Floors__*</c>) and the
/// storage account they are measured against: the task hub's, the <c>AzureWebJobsStorage</c> setting on both hosts.
/// </summary>
public sealed class FloorOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Bench:Floors";

    /// <summary>The setting that holds the task hub's storage connection string (the Functions app's own account).</summary>
    public const string StorageConnectionSetting = "AzureWebJobsStorage";

    /// <summary>The task hub's storage connection string; null or empty when there is none (the storage floor is then skipped).</summary>
    public string? StorageConnection { get; set; }

    /// <summary>
    /// Seconds of storage steps before measuring. Long because the process is usually cold: on the 2-core machine this
    /// was written on, a fresh process ran ~100 steps/s for its first ~7 s and ~230 once .NET's tiered compilation had
    /// optimized the storage client, so a 1 s warm-up gave about half the floor (and twice the efficiency).
    /// </summary>
    public double StorageWarmupSeconds { get; set; } = 8;

    /// <summary>Seconds of measured storage steps.</summary>
    public double StorageSeconds { get; set; } = 3;

    /// <summary>Seconds of HTTP posts before measuring (connection set-up).</summary>
    public double HttpWarmupSeconds { get; set; } = 0.5;

    /// <summary>Seconds of measured HTTP posts.</summary>
    public double HttpSeconds { get; set; } = 2;

    /// <summary>
    /// Seconds of the floor measured just before each unit, without warm-up (the process is warm by then), which that
    /// unit's efficiency is computed against; 0: no unit floors, every unit is compared with the run's start floors.
    /// The start floors compete with the host's own start-up (JIT, listeners, leases) on a 2-core machine, and a long
    /// run drifts (Azurite slows as its tables grow), so the floor beside the unit is the fairer reference.
    /// </summary>
    public double UnitSeconds { get; set; } = 2;

    /// <summary>
    /// The longest a statefun segment waits for the host's JIT to go quiet before its first login (<c>JitQuiet</c>);
    /// 0: it does not wait.
    /// </summary>
    public double JitQuietSeconds { get; set; } = 5;
}

/// <summary>Checks the floor settings when they are first read, naming the setting that cannot work.</summary>
public sealed class FloorOptionsValidator : IValidateOptions<FloorOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, FloorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Check(double seconds, string setting, bool allowZero)
        {
            if (!double.IsFinite(seconds) || seconds < 0 || (!allowZero && seconds == 0) || seconds > 600)
            {
                failures.Add($"{FloorOptions.Section}:{setting} is {seconds}; it must be {(allowZero ? "0" : "more than 0")} to 600 seconds.");
            }
        }

        Check(options.StorageWarmupSeconds, nameof(options.StorageWarmupSeconds), allowZero: true);
        Check(options.StorageSeconds, nameof(options.StorageSeconds), allowZero: false);
        Check(options.HttpWarmupSeconds, nameof(options.HttpWarmupSeconds), allowZero: true);
        Check(options.HttpSeconds, nameof(options.HttpSeconds), allowZero: false);
        Check(options.UnitSeconds, nameof(options.UnitSeconds), allowZero: true);
        Check(options.JitQuietSeconds, nameof(options.JitQuietSeconds), allowZero: true);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using Microsoft.Extensions.Configuration;

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
    /// Logins of a separate user driven through the run's StateFun endpoint before the HTTP floor, when the run has the
    /// statefun scenario (0: none). The statefun unit is short (1000 logins take about 0.15 s), so without this it
    /// would time the first compilation of the driver and greeter code rather than StateFun; a Flink cluster is warm
    /// too. The measured user's state is not touched.
    /// </summary>
    public int StateFunWarmupLogins { get; set; } = 2000;

    /// <summary>Reads the options from <paramref name="configuration"/>.</summary>
    public static FloorOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new FloorOptions();
        configuration.GetSection(Section).Bind(options);
        options.StorageConnection = configuration[StorageConnectionSetting];
        return options;
    }

    /// <summary>The warm-up logins, checked: 0 to 100,000.</summary>
    internal int CheckedStateFunWarmupLogins() => this.StateFunWarmupLogins is >= 0 and <= 100_000
        ? this.StateFunWarmupLogins
        : throw new ArgumentOutOfRangeException(nameof(this.StateFunWarmupLogins), this.StateFunWarmupLogins, $"{Section}:{nameof(this.StateFunWarmupLogins)} must be 0 to 100000.");

    /// <summary>A duration option as a time span; a negative, infinite or absurd value is a configuration error.</summary>
    internal static TimeSpan Duration(double seconds, string name, bool allowZero)
    {
        if (!double.IsFinite(seconds) || seconds < 0 || (!allowZero && seconds == 0) || seconds > 600)
        {
            throw new ArgumentOutOfRangeException(name, seconds, $"{Section}:{name} must be {(allowZero ? "0" : "more than 0")} to 600 seconds.");
        }

        return TimeSpan.FromSeconds(seconds);
    }
}

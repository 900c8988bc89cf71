using FunctionsBench.StateFun;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsBench.BenchOrchestrator.Floors;

/// <summary>Which floors to measure, where the HTTP floor posts (the no-op endpoint of the host that runs the bench) and the body's user.</summary>
/// <param name="NoopUrl">The no-op endpoint; null when the host has none (the HTTP floor is then not measured).</param>
/// <param name="FunctionKey">The host's function key, sent with every request as the driver sends it; null for none.</param>
/// <param name="Only">
/// Null: both floors with their warm-ups, at the start of a run. A kind: that floor alone, for
/// <see cref="FloorOptions.UnitSeconds"/> without warm-up, just before a unit (its efficiency's reference).
/// </param>
public sealed record MeasureFloorsInput(string? NoopUrl, string UserId, string UserName, string? FunctionKey = null, FloorKind? Only = null);

/// <summary>
/// Measures the floors: both at the start of a run, storage first, then HTTP, one after the other so neither disturbs
/// the other; and a unit's own floor just before it. A floor that cannot be measured does not fail the run: it is
/// recorded as null with the reason.
/// </summary>
public sealed class MeasureFloors(IOptions<FloorOptions> floorOptions, StateFunHttpClient http, ILogger<MeasureFloors> logger)
    : DurableActivity<MeasureFloorsInput, BenchFloors>
{
    private const int MaxReasonLength = 400;

    /// <summary>Functions trigger.</summary>
    [Function(nameof(MeasureFloors))]
    public Task<BenchFloors> Run([ActivityTrigger] MeasureFloorsInput input, CancellationToken cancellationToken)
        => this.ExecuteAsync(input, cancellationToken);

    /// <inheritdoc/>
    public override async Task<BenchFloors> ExecuteAsync(MeasureFloorsInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        FloorOptions options;
        try
        {
            options = floorOptions.Value;
        }
        catch (OptionsValidationException e)
        {
            string reason = "the floor settings are invalid: " + string.Join(" ", e.Failures);
            return BenchFloors.Unmeasured(reason);
        }

        if (input.Only is not null && options.UnitSeconds == 0)
        {
            return BenchFloors.Unmeasured($"unit floors are off ({FloorOptions.Section}:{nameof(FloorOptions.UnitSeconds)} is 0)");
        }

        // Before a unit the process is warm: a short measurement right beside the unit follows the machine's drift.
        (double warmup, double seconds, double httpWarmup, double httpSeconds) = input.Only is null
            ? (options.StorageWarmupSeconds, options.StorageSeconds, options.HttpWarmupSeconds, options.HttpSeconds)
            : (0, options.UnitSeconds, 0, options.UnitSeconds);
        var storageTimes = (TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(seconds));
        var httpTimes = (TimeSpan.FromSeconds(httpWarmup), TimeSpan.FromSeconds(httpSeconds));
        (StorageFloor? storage, string? storageError) = input.Only is null or FloorKind.Storage
            ? await this.MeasureStorageAsync(options, storageTimes, cancellationToken)
            : (null, "not measured for this unit");
        (HttpFloor? httpFloor, string? httpError) = input.Only is null or FloorKind.Http
            ? await this.MeasureHttpAsync(input, httpTimes, cancellationToken)
            : (null, "not measured for this unit");
        return new BenchFloors(storage, storageError, httpFloor, httpError);
    }

    private async Task<(StorageFloor?, string?)> MeasureStorageAsync(FloorOptions options, (TimeSpan Warmup, TimeSpan Duration) times, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.StorageConnection))
        {
            return this.NotMeasured<StorageFloor>("storage", $"no storage connection string: the '{FloorOptions.StorageConnectionSetting}' setting is empty", null);
        }

        return await this.AttemptAsync("storage", async () =>
        {
            var probe = new StorageFloorProbe(options.StorageConnection);
            StorageFloor floor = await probe.MeasureAsync(times.Warmup, times.Duration, cancellationToken);
            Logs.StorageFloorMeasured(logger, floor.Connection, floor.StepsPerSecond, floor.MsPerStep.Mean, floor.MsPerStep.P50, floor.MsPerStep.P99, floor.Steps);
            return floor;
        }, cancellationToken);
    }

    private async Task<(HttpFloor?, string?)> MeasureHttpAsync(MeasureFloorsInput input, (TimeSpan Warmup, TimeSpan Duration) times, CancellationToken cancellationToken)
    {
        if (input.NoopUrl is null || !Uri.TryCreate(input.NoopUrl, UriKind.Absolute, out Uri? url))
        {
            return this.NotMeasured<HttpFloor>("HTTP", $"the host gave no no-op endpoint to measure ({input.NoopUrl ?? "none"})", null);
        }

        return await this.AttemptAsync("HTTP", async () =>
        {
            HttpFloor floor = await HttpFloorProbe.MeasureAsync(
                http.Client, url, input.FunctionKey, StateFunDriver.FloorBody(input.UserId, input.UserName), times.Warmup, times.Duration, cancellationToken);
            Logs.HttpFloorMeasured(logger, floor.Url, floor.RequestsPerSecond, floor.Ms.Mean, floor.Ms.P50, floor.Ms.P99, floor.Requests);
            return floor;
        }, cancellationToken);
    }

    /// <summary>Runs one floor's measurement; a failure (not a cancellation) becomes the reason the floor is null.</summary>
    private async Task<(T?, string?)> AttemptAsync<T>(string floor, Func<Task<T>> measure, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return (await measure(), null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return this.NotMeasured<T>(floor, Reason(e), e);
        }
    }

    private (T?, string) NotMeasured<T>(string floor, string reason, Exception? exception)
        where T : class
    {
        Logs.FloorNotMeasured(logger, floor, reason, exception);
        return (null, reason);
    }

    /// <summary>The exception's type and first line, short: the SDKs' messages can carry whole request dumps.</summary>
    private static string Reason(Exception e)
    {
        Exception shown = e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerException! : e;
        string message = shown.Message.Split('\n', 2)[0].Trim();
        string reason = $"{shown.GetType().Name}: {message}";
        return reason.Length <= MaxReasonLength ? reason : string.Concat(reason.AsSpan(0, MaxReasonLength - 1), "…");
    }
}

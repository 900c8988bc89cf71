using FunctionsBench.Hosting;
using FunctionsBench.Http;
using FunctionsBench.StateFun;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsBench.BenchOrchestrator.Floors;

/// <summary>What the floors are measured for: the run's StateFun endpoint (its host's no-op endpoint is the HTTP floor's target) and user.</summary>
/// <param name="FunctionKey">The StateFun endpoint's function key, sent with every request as the driver sends it; null for none.</param>
/// <param name="WarmUpStateFun">Whether the run has the statefun scenario, whose driver and greeter are then warmed up.</param>
public sealed record MeasureFloorsInput(string StateFunUrl, string UserId, string UserName, string? FunctionKey = null, bool WarmUpStateFun = false);

/// <summary>
/// Measures both floors once at the start of a run, storage first, then HTTP, one after the other so neither disturbs
/// the other. A floor that cannot be measured does not fail the run: it is recorded as null with the reason.
/// </summary>
public sealed class MeasureFloors(FloorOptions options, StateFunHttpClient http, StateFunDriver driver, ILogger<MeasureFloors> logger)
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
        (StorageFloor? storage, string? storageError) = await this.MeasureStorageAsync(cancellationToken);
        (int warmupLogins, string? warmupError) = await this.WarmUpStateFunAsync(input, cancellationToken);
        (HttpFloor? httpFloor, string? httpError) = await this.MeasureHttpAsync(input, cancellationToken);
        return new BenchFloors(storage, storageError, httpFloor, httpError, warmupLogins, warmupError);
    }

    /// <summary>
    /// Drives <see cref="FloorOptions.StateFunWarmupLogins"/> logins of the user <c>{userId}.warmup</c> through the run's
    /// StateFun endpoint, so that the statefun unit times warm code. A failure is recorded, not thrown: the unit itself
    /// will fail loudly if the endpoint is really broken.
    /// </summary>
    private async Task<(int, string?)> WarmUpStateFunAsync(MeasureFloorsInput input, CancellationToken cancellationToken)
    {
        int logins = options.CheckedStateFunWarmupLogins();
        if (!input.WarmUpStateFun || logins == 0)
        {
            return (0, null);
        }

        (StateFunChunkResult? result, string? error) = await this.AttemptAsync("StateFun warm-up", async () =>
        {
            var request = new StateFunChunkRequest(
                new Uri(input.StateFunUrl), input.UserId + ".warmup", input.UserName, 0, logins, new StateFunRuntimeState(), input.FunctionKey);
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            StateFunChunkResult done = await driver.RunChunkAsync(request, cancellationToken);
            Logs.StateFunWarmedUp(logger, logins, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            return done;
        }, cancellationToken);
        return (result?.Logins.Count ?? 0, error);
    }

    private async Task<(StorageFloor?, string?)> MeasureStorageAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.StorageConnection))
        {
            return this.NotMeasured<StorageFloor>("storage", $"no storage connection string: the '{FloorOptions.StorageConnectionSetting}' setting is empty", null);
        }

        return await this.AttemptAsync("storage", async () =>
        {
            var probe = new StorageFloorProbe(options.StorageConnection);
            StorageFloor floor = await probe.MeasureAsync(
                FloorOptions.Duration(options.StorageWarmupSeconds, nameof(options.StorageWarmupSeconds), allowZero: true),
                FloorOptions.Duration(options.StorageSeconds, nameof(options.StorageSeconds), allowZero: false),
                cancellationToken);
            Logs.StorageFloorMeasured(logger, floor.Connection, floor.StepsPerSecond, floor.MsPerStep.Mean, floor.MsPerStep.P50, floor.MsPerStep.P99, floor.Steps);
            return floor;
        }, cancellationToken);
    }

    private async Task<(HttpFloor?, string?)> MeasureHttpAsync(MeasureFloorsInput input, CancellationToken cancellationToken)
    {
        if (BenchHttpApi.NoopUrlFor(input.StateFunUrl) is not { } url)
        {
            return this.NotMeasured<HttpFloor>("HTTP",
                $"the run's StateFun URL ({WithoutQuery(input.StateFunUrl)}) is not this app's StateFun endpoint (…{BenchHttpApi.StateFunPathTemplate}), so there is no no-op endpoint beside it to measure",
                null);
        }

        return await this.AttemptAsync("HTTP", async () =>
        {
            HttpFloor floor = await HttpFloorProbe.MeasureAsync(
                http.Client, url, input.FunctionKey, HttpFloorProbe.StateFunSizedBody(input.UserId, input.UserName),
                FloorOptions.Duration(options.HttpWarmupSeconds, nameof(options.HttpWarmupSeconds), allowZero: true),
                FloorOptions.Duration(options.HttpSeconds, nameof(options.HttpSeconds), allowZero: false),
                cancellationToken);
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

    private static string WithoutQuery(string url) => url.Split('?', 2)[0];
}

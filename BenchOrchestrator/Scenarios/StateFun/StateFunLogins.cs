using System.Diagnostics;
using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.StateFun;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>One segment of StateFun logins: where the greeter is, who logs in, which sequences, and the runtime's state so far.</summary>
/// <param name="RuntimeState">The emulated runtime's state (registered states, stored values) from the previous segment; null to start empty.</param>
/// <param name="FunctionKey">The endpoint's function key (the <c>x-functions-key</c> header); null for none.</param>
/// <param name="FloorUrl">
/// The host's no-op endpoint to measure the HTTP floor in turns with the logins (<see cref="HttpFloorInTurns"/>); null
/// for no floor, and so is a host whose unit floors are off.
/// </param>
/// <param name="FloorKey">The host's key for <paramref name="FloorUrl"/>; null for none.</param>
public sealed record StateFunLoginsInput(
    string Url, string UserId, string UserName, int FirstSequence, int Count, JsonElement? RuntimeState, string? FunctionKey = null,
    string? FloorUrl = null, string? FloorKey = null);

/// <summary>The timed logins of a segment (in the compact form, about 10 KiB per 1000 logins) and the runtime's state after them.</summary>
/// <param name="Floor">The HTTP floor measured in turns with the logins; null when none was asked for or it could not be measured.</param>
public sealed record StateFunLoginsOutput(StateFunTimings Timings, JsonElement RuntimeState, HttpFloorInTurns? Floor = null);

/// <summary>
/// The <c>statefun</c> scenario's driver activity: plays the StateFun runtime for one segment of logins (at most
/// <see cref="BenchPlan.StateFunSegmentLogins"/>) against a remote greeter. The orchestration carries the runtime's state
/// from segment to segment, so a crash costs at most one segment.
/// </summary>
/// <remarks>
/// With a floor URL the logins run in chunks of at most <see cref="FloorTurnLogins"/> (and at least
/// <see cref="MinFloorTurns"/> chunks), and between two chunks the activity posts to the no-op endpoint twice as many
/// times as the chunk before made logins: the ratio of the two is then measured over the same seconds of a machine whose
/// speed swings twofold within a minute. Before the first login the activity waits for the host's JIT to go quiet
/// (<see cref="JitQuiet"/>). A floor POST that fails ends the floor (logged, and the unit falls back to
/// the run's floor); the logins go on.
/// </remarks>
public sealed class StateFunLogins(StateFunDriver driver, StateFunHttpClient http, IOptions<FloorOptions> floorOptions, ILogger<StateFunLogins> logger)
    : DurableActivity<StateFunLoginsInput, StateFunLoginsOutput>
{
    /// <summary>The largest chunk of logins between two floor slices (the driver benchmark's chunk).</summary>
    public const int FloorTurnLogins = 1000;

    /// <summary>Chunks a segment is cut into at least, so that a small unit has floor slices too.</summary>
    public const int MinFloorTurns = 8;

    /// <summary>Functions trigger.</summary>
    [Function(nameof(StateFunLogins))]
    public Task<StateFunLoginsOutput> Run([ActivityTrigger] StateFunLoginsInput input, CancellationToken cancellationToken)
        => this.ExecuteAsync(input, cancellationToken);

    /// <inheritdoc/>
    public override async Task<StateFunLoginsOutput> ExecuteAsync(StateFunLoginsInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        StateFunRuntimeState state = input.RuntimeState is { } json
            ? json.Deserialize<StateFunRuntimeState>(BenchJson.Options) ?? new StateFunRuntimeState()
            : new StateFunRuntimeState();
        var request = new StateFunChunkRequest(new Uri(input.Url), input.UserId, input.UserName, input.FirstSequence, input.Count, state, input.FunctionKey);
        FloorOptions? options = this.Options();
        Uri? floorUrl = FloorUrl(input, options);
        if (options?.JitQuietSeconds > 0)
        {
            (TimeSpan waited, bool quiet) = await JitQuiet.WaitAsync(TimeSpan.FromSeconds(options.JitQuietSeconds), cancellationToken);
            Logs.JitSettled(logger, waited.TotalSeconds, quiet);
        }

        if (floorUrl is null)
        {
            StateFunChunkResult result = await driver.RunChunkAsync(request, cancellationToken);
            return new StateFunLoginsOutput(StateFunTimings.Of(result.Logins), JsonSerializer.SerializeToElement(result.State, BenchJson.Options));
        }

        return await this.InTurnsAsync(request, floorUrl, input.FloorKey, cancellationToken);
    }

    /// <summary>The chunk size of a segment of <paramref name="count"/> logins measured in turns with the floor.</summary>
    public static int ChunkLogins(int count) => Math.Clamp((count + MinFloorTurns - 1) / MinFloorTurns, 1, FloorTurnLogins);

    // Settings that cannot work (which the start floors already report) mean no floor and no wait here.
    private FloorOptions? Options()
    {
        try
        {
            return floorOptions.Value;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    private static Uri? FloorUrl(StateFunLoginsInput input, FloorOptions? options)
    {
        if (input.FloorUrl is null)
        {
            return null;
        }

        if (!Uri.TryCreate(input.FloorUrl, UriKind.Absolute, out Uri? url))
        {
            throw new ArgumentException($"The floor URL '{input.FloorUrl}' is not an absolute URL.", nameof(input));
        }

        // Unit floors off mean no floor here either.
        return options?.UnitSeconds > 0 ? url : null;
    }

    private async Task<StateFunLoginsOutput> InTurnsAsync(StateFunChunkRequest segment, Uri floorUrl, string? floorKey, CancellationToken cancellationToken)
    {
        byte[] body = StateFunDriver.FloorBody(segment.UserId, segment.UserName);
        int chunk = ChunkLogins(segment.Count);
        var logins = new List<StateFunLogin>(segment.Count);
        var floorMs = new List<double>(2 * segment.Count);
        TimeSpan floorTime = TimeSpan.Zero;
        string? floorError = null;
        StateFunRuntimeState state = segment.State;
        for (int done = 0; done < segment.Count;)
        {
            if (done > 0 && floorError is null)
            {
                long sliceStart = Stopwatch.GetTimestamp();
                try
                {
                    await HttpFloorProbe.SliceAsync(http.Client, floorUrl, floorKey, body, 2 * chunk, floorMs, cancellationToken);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    floorError = $"{e.GetType().Name}: {e.Message.Split('\n', 2)[0].Trim()}";
                    Logs.FloorNotMeasured(logger, "HTTP (in turns with the StateFun logins)", floorError, e);
                }
                finally
                {
                    floorTime += Stopwatch.GetElapsedTime(sliceStart);
                }
            }

            int count = Math.Min(chunk, segment.Count - done);
            StateFunChunkResult result = await driver.RunChunkAsync(
                segment with { FirstSequence = segment.FirstSequence + done, Count = count, State = state }, cancellationToken);
            logins.AddRange(result.Logins);
            state = result.State;
            done += count;
        }

        // One chunk has no slice; a failed slice still took time between the logins, which the unit takes out.
        HttpFloorInTurns? floor = floorTime > TimeSpan.Zero ? new HttpFloorInTurns(floorMs.Count, floorTime.TotalSeconds, floorError) : null;
        if (floor?.RequestsPerSecond is double rate)
        {
            FloorMs ms = FloorMs.Of(floorMs);
            Logs.HttpFloorMeasured(logger, floorUrl.GetLeftPart(UriPartial.Path) + " (in turns)", rate, ms.Mean, ms.P50, ms.P99, floor.Requests);
        }

        return new StateFunLoginsOutput(StateFunTimings.Of(logins), JsonSerializer.SerializeToElement(state, BenchJson.Options), floor);
    }
}

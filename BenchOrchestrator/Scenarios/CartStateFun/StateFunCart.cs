using System.Diagnostics;
using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.ShoppingCart;
using FunctionsBench.StateFun;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>One segment of a <c>cart-statefun</c> unit: where the functions are, the unit's workload, which operations, and the runtime's state so far.</summary>
/// <param name="Url">The StateFun endpoint (the greeter's; it serves the cart too).</param>
/// <param name="Users">The unit's user loops.</param>
/// <param name="Cart">The run's cart workload parameters.</param>
/// <param name="Invocations">The unit's N (the generator makes all N and the segment takes its part).</param>
/// <param name="First">The segment's first operation id.</param>
/// <param name="Count">How many operations.</param>
/// <param name="RuntimeState">The emulated runtime's state from the previous segment; null for the unit's initial shop.</param>
/// <param name="FunctionKey">The endpoint's function key; null for none.</param>
/// <param name="FloorUrl">The host's no-op endpoint for the HTTP floor in turns with the operations; null for none.</param>
/// <param name="FloorKey">The host's key for <paramref name="FloorUrl"/>; null for none.</param>
public sealed record StateFunCartInput(
    string Url, int Users, CartSettings Cart, int Invocations, int First, int Count, JsonElement? RuntimeState,
    string? FunctionKey = null, string? FloorUrl = null, string? FloorKey = null);

/// <summary>The timed operations of a segment (compact, in id order), what each returned, and the runtime's state after them.</summary>
/// <param name="Floor">The HTTP floor measured in turns with the operations; null when none was asked for or measured.</param>
public sealed record StateFunCartOutput(StateFunTimings Timings, IReadOnlyList<CartOutcome> Outcomes, JsonElement RuntimeState, HttpFloorInTurns? Floor = null);

/// <summary>
/// The <c>cart-statefun</c> scenario's driver activity: plays the StateFun runtime for one segment of a cart unit
/// (<see cref="StateFunCartDriver"/>: every user loop in flight, one message at a time per address) against the
/// endpoint's cart functions. The orchestration carries the runtime's state from segment to segment.
/// </summary>
/// <remarks>
/// With a floor URL the operations run in parts (at least <see cref="OperationsPerLoopPerPart"/> per loop, at most
/// <see cref="MaxParts"/>), and between two parts as many no-op POSTs as the part before made requests go to the
/// host's no-op endpoint from as many loops at once as the unit has users: the concurrent HTTP floor, measured over the
/// same seconds. A floor POST that fails ends the floor (logged); the operations go on.
/// </remarks>
public sealed class StateFunCart(StateFunHttpClient http, IOptions<FloorOptions> floorOptions, ILogger<StateFunCart> logger)
    : DurableActivity<StateFunCartInput, StateFunCartOutput>
{
    /// <summary>A part gives every loop at least this many operations, so the loops' uneven ends stay a small share.</summary>
    public const int OperationsPerLoopPerPart = 50;

    /// <summary>Parts a segment is cut into at most.</summary>
    public const int MaxParts = 8;

    /// <summary>Functions trigger.</summary>
    [Function(nameof(StateFunCart))]
    public Task<StateFunCartOutput> Run([ActivityTrigger] StateFunCartInput input, CancellationToken cancellationToken)
        => this.ExecuteAsync(input, cancellationToken);

    /// <summary>The unit's workload options for <paramref name="users"/> loops.</summary>
    public static CartWorkloadOptions Options(CartSettings cart, int users) => (cart ?? new CartSettings()).Workload(users);

    /// <inheritdoc/>
    public override async Task<StateFunCartOutput> ExecuteAsync(StateFunCartInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        CartWorkloadOptions options = Options(input.Cart, input.Users);
        IReadOnlyList<CartOperation> operations = [.. CartWorkload.Generate(options, input.Invocations).Skip(input.First).Take(input.Count)];
        StateFunRuntimeState state = input.RuntimeState is { } json
            ? json.Deserialize<StateFunRuntimeState>(BenchJson.Options) ?? StateFunCartDriver.InitialState(options)
            : StateFunCartDriver.InitialState(options);
        Uri? floorUrl = this.FloorUrl(input);
        var driver = new StateFunCartDriver(http.Client);
        int parts = floorUrl is null ? 1 : Math.Clamp(operations.Count / (input.Users * OperationsPerLoopPerPart), 1, MaxParts);
        int partSize = Math.Max(1, (operations.Count + parts - 1) / parts);
        byte[] body = StateFunCartDriver.FloorBody();
        var timings = new List<CartOperationTiming>(operations.Count);
        var outcomes = new List<CartOutcome>(operations.Count);
        var floorMs = new List<double>();
        TimeSpan floorTime = TimeSpan.Zero;
        string? floorError = null;
        for (int done = 0; done < operations.Count;)
        {
            int count = Math.Min(partSize, operations.Count - done);
            StateFunCartResult result = await driver.RunAsync(
                new StateFunCartRequest(new Uri(input.Url), options, [.. operations.Skip(done).Take(count)], state, input.FunctionKey), cancellationToken);
            timings.AddRange(result.Timings);
            outcomes.AddRange(result.Outcomes);
            state = result.State;
            done += count;
            if (done < operations.Count && floorUrl is not null && floorError is null)
            {
                long sliceStart = Stopwatch.GetTimestamp();
                try
                {
                    floorMs.AddRange(await ConcurrentSliceAsync(floorUrl, input.FloorKey, body, input.Users, (int)result.HttpRequests, cancellationToken));
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    floorError = $"{e.GetType().Name}: {e.Message.Split('\n', 2)[0].Trim()}";
                    Logs.FloorNotMeasured(logger, "HTTP (in turns with the cart's operations)", floorError, e);
                }
                finally
                {
                    floorTime += Stopwatch.GetElapsedTime(sliceStart);
                }
            }
        }

        HttpFloorInTurns? floor = floorTime > TimeSpan.Zero ? new HttpFloorInTurns(floorMs.Count, floorTime.TotalSeconds, floorError) : null;
        if (floor?.RequestsPerSecond is double rate && floorUrl is not null)
        {
            FloorMs ms = FloorMs.Of(floorMs);
            Logs.HttpFloorMeasured(logger, floorUrl.GetLeftPart(UriPartial.Path) + $" (in turns, {input.Users} at once)", rate, ms.Mean, ms.P50, ms.P99, floor.Requests);
        }

        return new StateFunCartOutput(StateFunTimings.Of(timings), outcomes, JsonSerializer.SerializeToElement(state, BenchJson.Options), floor);
    }

    // Settings that cannot work (which the start floors already report), or unit floors off, mean no floor here.
    private Uri? FloorUrl(StateFunCartInput input)
    {
        if (input.FloorUrl is null)
        {
            return null;
        }

        if (!Uri.TryCreate(input.FloorUrl, UriKind.Absolute, out Uri? url))
        {
            throw new ArgumentException($"The floor URL '{input.FloorUrl}' is not an absolute URL.", nameof(input));
        }

        try
        {
            return floorOptions.Value.UnitSeconds > 0 ? url : null;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    // total no-op POSTs from loops at once, each sequential.
    private async Task<List<double>> ConcurrentSliceAsync(Uri url, string? key, byte[] body, int loops, int total, CancellationToken cancellationToken)
    {
        List<double>[] results = await Task.WhenAll(Enumerable.Range(0, loops).Select(async loop =>
        {
            var ms = new List<double>();
            int count = (total / loops) + (loop < total % loops ? 1 : 0);
            if (count > 0)
            {
                await HttpFloorProbe.SliceAsync(http.Client, url, key, body, count, ms, cancellationToken);
            }

            return ms;
        }));
        return [.. results.SelectMany(r => r)];
    }
}

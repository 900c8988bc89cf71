using FunctionsBench.ShoppingCart;
using FunctionsBench.StateFun;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// <c>cart-statefun</c>'s durable part: each segment is one call of the driver activity <see cref="StateFunCart"/>, which
/// plays the StateFun runtime for the segment's operations with every user loop in flight (and measures the concurrent
/// HTTP floor in turns with them), the runtime's state carried from segment to segment. After the unit the shop is read
/// from that state and the workload's invariants checked (<see cref="CartInvariants"/>): a broken one fails the unit
/// with the item, user, operation and numbers, and every verdict goes into the result with the cart's own figures.
/// </summary>
public sealed class CartStateFunInvocation : ScenarioInvocation
{
    /// <inheritdoc/>
    public override Scenario Scenario => CartStateFunScenario.Descriptor;

    /// <inheritdoc/>
    public override string Callee => nameof(StateFunCart);

    /// <summary>The unit measures its HTTP floor in turns with its operations, inside the driver activity.</summary>
    public override bool FloorBeforeUnit => false;

    /// <summary>Operations <c>first</c> .. first + count - 1, continuing from the previous segment's runtime state; each record labelled with its operation.</summary>
    public override async Task<SegmentResult> RunSegmentAsync(UnitScope unit, UnitSegment segment, SegmentResult? previous)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(segment);
        (TaskOrchestrationContext context, BenchRun run) = (unit.Context, unit.Run);
        CartSettings cart = run.Settings.Cart ?? new CartSettings();
        StateFunCartOutput output = await context.CallActivityAsync<StateFunCartOutput>(
            nameof(StateFunCart), new StateFunCartInput(
                run.Settings.StateFunUrl, unit.Unit.Users, cart, unit.Unit.Invocations, segment.First, segment.Count, previous?.StateFunState,
                run.StateFunKey, run.NoopUrl, run.HostKey));
        IReadOnlyList<CartOperation> operations = Operations(unit);
        List<TimingRecord> records = [.. output.Timings.Records().Select(r => new TimingRecord(r.Sequence, r.StartUtc, r.EndUtc, operations[r.Sequence].Kind.ToString()))];
        if (records.Count != segment.Count || records[0].Sequence != segment.First || output.Outcomes.Count != segment.Count)
        {
            throw new InvalidOperationException(
                $"The cart driver returned {records.Count} records from operation {records.FirstOrDefault()?.Sequence} and {output.Outcomes.Count} outcomes for operations {segment.First}..{segment.First + segment.Count - 1}.");
        }

        if (unit.Recorded)
        {
            await TimingsChunk.RecordAsync(context, run.RunId, unit.Unit, records);
        }

        return new SegmentResult(records.Min(r => r.Start), records.Max(r => r.End), output.RuntimeState, output.Floor, output.Outcomes);
    }

    /// <summary>Reads the shop from the runtime's state after the last segment and checks the invariants; throws naming every broken one.</summary>
    public override Task<IReadOnlyList<InvariantResult>> VerifyAsync(UnitScope unit, IReadOnlyList<SegmentResult> segments)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(segments);
        CartWorkloadOptions options = StateFunCart.Options(unit.Run.Settings.Cart ?? new CartSettings(), unit.Unit.Users);
        StateFunRuntimeState state = FinalState(unit, segments);
        IReadOnlyList<CartInvariantResult> checks = CartInvariants.Check(
            options, Operations(unit), [.. segments.SelectMany(s => s.Outcomes ?? [])], StateFunCartDriver.FinalState(state));
        if (CartInvariants.Failure(checks) is { } failure)
        {
            throw new InvalidOperationException($"Unit {InstanceIds.Unit(unit.Run.RunId, unit.Unit)}: {failure}");
        }

        return Task.FromResult<IReadOnlyList<InvariantResult>>([.. checks.Select(c => new InvariantResult(c.Name, c.Holds, c.Detail))]);
    }

    /// <summary>Checkouts/s and latency per operation kind, and HTTP requests per operation (handshakes included) as the steps the efficiency uses.</summary>
    public override async Task<ScenarioResult> CompleteResultAsync(UnitScope unit, ScenarioResult result, IReadOnlyList<SegmentResult> segments)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(segments);
        IReadOnlyList<CartOperation> operations = Operations(unit);
        IReadOnlyList<TimingRecord> timings = await CartDfInvocation.ReadTimingsAsync(unit.Context, unit.Run.RunId, unit.Unit);
        double requestsPerOperation = operations.Count == 0 ? 0 : FinalState(unit, segments).HttpRequests / (double)operations.Count;
        CartFigures figures = CartDfInvocation.Figures(operations, [.. segments.SelectMany(s => s.Outcomes ?? [])], timings, result.ExecutionSeconds, criticalSection: false)
            with { StepsPerOperation = requestsPerOperation };
        double? efficiency = result.FloorRate is double rate && rate > 0 ? result.InvocationsPerSecond * requestsPerOperation / rate : null;
        return result with
        {
            StepsPerInvocation = (int)Math.Round(requestsPerOperation, MidpointRounding.AwayFromZero),
            Efficiency = efficiency,
            Cart = figures,
        };
    }

    private static IReadOnlyList<CartOperation> Operations(UnitScope unit)
        => CartWorkload.Generate(StateFunCart.Options(unit.Run.Settings.Cart ?? new CartSettings(), unit.Unit.Users), unit.Unit.Invocations);

    private static StateFunRuntimeState FinalState(UnitScope unit, IReadOnlyList<SegmentResult> segments)
        => segments.Count > 0 && segments[^1].StateFunState is { } json
            ? json.Deserialize<StateFunRuntimeState>(BenchJson.Options) ?? throw new InvalidOperationException($"Unit {InstanceIds.Unit(unit.Run.RunId, unit.Unit)}: the cart driver's state is empty.")
            : throw new InvalidOperationException($"Unit {InstanceIds.Unit(unit.Run.RunId, unit.Unit)}: no segment carried the cart driver's state.");
}

using FunctionsBench.ShoppingCart;
using FunctionsBench.ShoppingCart.DurableFunctions;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// <c>cart-df</c>'s durable part: the shop's stock seeded (<see cref="PrepareAsync"/>), then the unit as one segment in
/// which <c>users</c> loops run at once (each a chain of <see cref="CartChunkOrchestration"/>s over its own user's
/// operations), then every cart and stock read back and the workload's invariants checked (<see cref="CartInvariants"/>).
/// A broken invariant fails the unit with the item, user, operation and numbers; every invariant's verdict goes into
/// the unit's result, with the cart's own figures (<see cref="CartFigures"/>).
/// </summary>
public sealed class CartDfInvocation : ScenarioInvocation
{
    /// <summary>How often the unit re-reads its timings when fewer than N records have arrived yet.</summary>
    private const int TimingAttempts = 10;

    /// <inheritdoc/>
    public override Scenario Scenario => CartDfScenario.Descriptor;

    /// <inheritdoc/>
    public override string Callee => nameof(CartEntity);

    /// <summary>The unit's workload options, operations and settings (the generator is seeded: every replay gets the same).</summary>
    public static (CartWorkloadOptions Options, IReadOnlyList<CartOperation> Operations, CartSettings Settings) Workload(UnitScope unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        CartSettings settings = unit.Run.Settings.Cart ?? new CartSettings();
        CartWorkloadOptions options = settings.Workload(unit.Unit.Users);
        return (options, CartWorkload.Generate(options, unit.Unit.Invocations), settings);
    }

    /// <summary>The unit's shop: its carts and stocks, under a scope of their own.</summary>
    public static CartShop Shop(UnitScope unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return new CartShop(InstanceIds.CartScope(unit.Run.RunId, unit.Unit));
    }

    /// <summary>Every item's initial stock, before anything is timed.</summary>
    public override Task PrepareAsync(UnitScope unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        CartWorkloadOptions options = (unit.Run.Settings.Cart ?? new CartSettings()).Workload(unit.Unit.Users);
        return CartWorkflow.SeedAsync(unit.Context, Shop(unit), options.ItemKeys, options.InitialStock);
    }

    /// <summary>The whole unit (one segment): <c>users</c> loops at once, each chaining chunk orchestrations of <c>checkpointEvery</c> operations.</summary>
    public override async Task<SegmentResult> RunSegmentAsync(UnitScope unit, UnitSegment segment, SegmentResult? previous)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(segment);
        (CartWorkloadOptions options, IReadOnlyList<CartOperation> all, CartSettings settings) = Workload(unit);
        IReadOnlyList<CartOperation> operations = [.. all.Skip(segment.First).Take(segment.Count)];
        int chunkSize = unit.Run.Settings.Mode == BenchModes.Single ? unit.Unit.Invocations : unit.Run.Settings.CheckpointEvery;
        var progress = new LoopProgress(segment.First, unit.Unit.Invocations);
        CartChunkResult[][] loops = await Task.WhenAll(Enumerable.Range(0, unit.Unit.Users).Select(
            loop => RunLoopAsync(unit, CartWorkload.ForLoop(options, operations, loop), loop, chunkSize, settings.CriticalSection, progress)));
        CartChunkResult[] chunks = [.. loops.SelectMany(l => l)];
        return new SegmentResult(chunks.Min(c => c.Start), chunks.Max(c => c.End), Outcomes: [.. chunks.SelectMany(c => c.Outcomes)]);
    }

    /// <summary>Reads every cart and stock and checks the invariants; throws naming every broken one.</summary>
    public override async Task<IReadOnlyList<InvariantResult>> VerifyAsync(UnitScope unit, IReadOnlyList<SegmentResult> segments)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(segments);
        (CartWorkloadOptions options, IReadOnlyList<CartOperation> operations, _) = Workload(unit);
        List<CartOutcome> outcomes = [.. segments.SelectMany(s => s.Outcomes ?? [])];
        CartFinalState final = await CartWorkflow.ReadFinalStateAsync(
            unit.Context, Shop(unit), [.. Enumerable.Range(0, unit.Unit.Users).Select(CartWorkloadOptions.UserKey)], [.. options.ItemKeys]);
        IReadOnlyList<CartInvariantResult> checks = CartInvariants.Check(options, operations, outcomes, final);
        if (CartInvariants.Failure(checks) is { } failure)
        {
            throw new InvalidOperationException($"Unit {InstanceIds.Unit(unit.Run.RunId, unit.Unit)}: {failure}");
        }

        return [.. checks.Select(c => new InvariantResult(c.Name, c.Holds, c.Detail))];
    }

    /// <summary>Checkouts/s, latency per operation kind (each record's sequence is its operation id), steps per operation and the efficiency they give.</summary>
    public override async Task<ScenarioResult> CompleteResultAsync(UnitScope unit, ScenarioResult result, IReadOnlyList<SegmentResult> segments)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(segments);
        (_, IReadOnlyList<CartOperation> operations, CartSettings settings) = Workload(unit);
        IReadOnlyList<TimingRecord> timings = await ReadTimingsAsync(unit.Context, unit.Run.RunId, unit.Unit);
        CartFigures figures = Figures(operations, [.. segments.SelectMany(s => s.Outcomes ?? [])], timings, result.ExecutionSeconds, settings.CriticalSection);
        double? efficiency = result.FloorRate is double rate && rate > 0 ? result.InvocationsPerSecond * figures.StepsPerOperation / rate : null;
        return result with
        {
            StepsPerInvocation = (int)Math.Round(figures.StepsPerOperation, MidpointRounding.AwayFromZero),
            Efficiency = efficiency,
            Cart = figures,
        };
    }

    /// <summary>
    /// Storage steps each operation needs at minimum: an entity call is two (the request to the entity's work item, its
    /// answer to the orchestration's); a lock of k entities is k + 1 (the request passes from entity to entity, the last
    /// grants it).
    /// </summary>
    public static double StepsPerOperation(IReadOnlyList<CartOperation> operations, IReadOnlyList<CartOutcome> outcomes, bool criticalSection)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0)
        {
            return 0;
        }

        Dictionary<int, CartOutcome> byId = outcomes.GroupBy(o => o.OperationId).ToDictionary(g => g.Key, g => g.First());
        var baskets = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        long steps = 0;
        foreach (CartOperation op in operations.OrderBy(o => o.Id))
        {
            if (!baskets.TryGetValue(op.UserId, out HashSet<string>? basket))
            {
                baskets[op.UserId] = basket = new(StringComparer.Ordinal);
            }

            switch (op.Kind)
            {
                case CartOperationKind.AddToCart:
                    steps += 4 + (criticalSection ? 3 : 0);
                    if (byId.GetValueOrDefault(op.Id)?.InStock == true)
                    {
                        basket.Add(op.ItemId!);
                    }

                    break;
                case CartOperationKind.ClearCart:
                    steps += 2 + (basket.Count > 0 ? 2 : 0) + (criticalSection ? 2 + basket.Count + 2 : 0);
                    basket.Clear();
                    break;
                case CartOperationKind.Checkout:
                    steps += 2;
                    basket.Clear();
                    break;
                default:
                    steps += 2;
                    break;
            }
        }

        return (double)steps / operations.Count;
    }

    internal static CartFigures Figures(IReadOnlyList<CartOperation> operations, IReadOnlyList<CartOutcome> outcomes, IReadOnlyList<TimingRecord> timings, double seconds, bool criticalSection)
    {
        Dictionary<int, CartOperationKind> kinds = operations.ToDictionary(o => o.Id, o => o.Kind);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (CartOperation op in operations)
        {
            counts[op.Kind.ToString()] = counts.GetValueOrDefault(op.Kind.ToString()) + 1;
        }

        Dictionary<string, LatencySummary> latencies = timings
            .Where(t => kinds.ContainsKey(t.Sequence))
            .GroupBy(t => kinds[t.Sequence].ToString())
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Statistics.Summarize(g.Select(t => t.LatencyMs)), StringComparer.Ordinal);
        int inStock = outcomes.Count(o => kinds.GetValueOrDefault(o.OperationId) == CartOperationKind.AddToCart && o.InStock);
        int checkouts = counts.GetValueOrDefault(nameof(CartOperationKind.Checkout));
        return new CartFigures(checkouts / Math.Max(seconds, 1e-6), counts, latencies, StepsPerOperation(operations, outcomes, criticalSection), inStock, criticalSection);
    }

    /// <summary>One user loop: its operations in chunks of <paramref name="chunkSize"/>, one chunk orchestration after another.</summary>
    private static async Task<CartChunkResult[]> RunLoopAsync(
        UnitScope unit, IReadOnlyList<CartOperation> operations, int loop, int chunkSize, bool criticalSection, LoopProgress progress)
    {
        var results = new List<CartChunkResult>();
        string scope = InstanceIds.CartScope(unit.Run.RunId, unit.Unit);
        for (int first = 0, chunk = 0; first < operations.Count; first += chunkSize, chunk++)
        {
            var chunkInput = new CartChunkInput(unit.Run.RunId, unit.Unit, scope, [.. operations.Skip(first).Take(chunkSize)], criticalSection, unit.Recorded);
            results.Add(await unit.Context.CallSubOrchestratorAsync<CartChunkResult>(
                nameof(CartChunkOrchestration), chunkInput, new SubOrchestrationOptions { InstanceId = InstanceIds.CartChunk(unit.Run.RunId, unit.Unit, loop, chunk) }));
            progress.Done += chunkInput.Operations.Count;

            // Written with the episode's own checkpoint: no storage request of its own.
            unit.Context.SetCustomStatus(new UnitProgress(progress.Done, progress.Total));
        }

        return [.. results];
    }

    /// <summary>Every recorded timing of the unit, re-read after a pause while fewer than N have arrived (the chunks' signals are not ordered with this read).</summary>
    internal static async Task<IReadOnlyList<TimingRecord>> ReadTimingsAsync(TaskOrchestrationContext context, string runId, BenchUnit unit)
    {
        for (int attempt = 1; ; attempt++)
        {
            IEnumerable<Task<List<TimingRecord>>> reads = Enumerable.Range(0, TimingsChunk.CountFor(unit.Invocations))
                .Select(chunk => context.Entities.CallEntityAsync<List<TimingRecord>>(TimingsChunk.IdFor(runId, unit, chunk), nameof(TimingsEntity.Timings)));
            List<TimingRecord>[] chunks = await Task.WhenAll(reads);
            if (chunks.Sum(c => c.Count) >= unit.Invocations || attempt == TimingAttempts)
            {
                return [.. chunks.SelectMany(c => c)];
            }

            await context.CreateTimer(TimeSpan.FromSeconds(1), CancellationToken.None);
        }
    }

    /// <summary>Operations of the unit's finished chunks, for its custom status (orchestrator code runs on one thread).</summary>
    private sealed class LoopProgress(int done, int total)
    {
        public int Total { get; } = total;

        public int Done { get; set; } = done;
    }
}

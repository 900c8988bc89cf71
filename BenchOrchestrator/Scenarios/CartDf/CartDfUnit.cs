using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.ShoppingCart;
using FunctionsBench.ShoppingCart.DurableFunctions;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// A cart-df unit, run by its unit orchestration: the shop's stock seeded, <c>users</c> loops in flight (each a chain of
/// <see cref="CartChunkOrchestration"/>s over its own user's operations), then every cart and stock read back and the
/// workload's invariants checked (<see cref="CartInvariants"/>). A broken invariant fails the unit with the item, user,
/// operation and numbers; the results of every invariant go into the unit's result.
/// </summary>
internal static class CartDfUnit
{
    /// <summary>How often the unit re-reads its timings when fewer than N records have arrived yet.</summary>
    private const int TimingAttempts = 10;

    /// <summary>Runs the unit and returns its result (null for a warm-up).</summary>
    public static async Task<ScenarioResult?> RunAsync(TaskOrchestrationContext context, UnitInput input)
    {
        (BenchRun run, BenchUnit unit) = (input.Run, input.Unit);
        CartSettings cart = run.Settings.Cart ?? new CartSettings();
        CartWorkloadOptions options = cart.Workload(unit.Users);
        IReadOnlyList<CartOperation> operations = CartWorkload.Generate(options, unit.Invocations);
        var shop = new CartShop(InstanceIds.CartScope(run.RunId, unit));
        int chunkSize = run.Settings.Mode == BenchModes.Single ? unit.Invocations : run.Settings.CheckpointEvery;
        context.SetCustomStatus(new UnitProgress(0, unit.Invocations));

        // Prepare: every item's initial stock, before anything is timed.
        await CartWorkflow.SeedAsync(context, shop, options.ItemKeys, options.InitialStock);
        BenchFloors? unitFloors = input.Recorded
            ? await context.CallActivityAsync<BenchFloors>(
                nameof(MeasureFloors), new MeasureFloorsInput(run.NoopUrl, run.Settings.UserId, run.Settings.UserName, run.HostKey, FloorKind.Storage))
            : null;

        CartChunkResult[][] loops = await Task.WhenAll(Enumerable.Range(0, unit.Users).Select(loop => RunLoopAsync(context, input, shop, CartWorkload.ForLoop(options, operations, loop), loop, chunkSize, cart.CriticalSection)));
        CartChunkResult[] chunks = [.. loops.SelectMany(l => l)];
        List<CartOutcome> outcomes = [.. chunks.SelectMany(c => c.Outcomes)];
        context.SetCustomStatus(new UnitProgress(outcomes.Count, unit.Invocations));

        CartFinalState final = await CartWorkflow.ReadFinalStateAsync(
            context, shop, [.. Enumerable.Range(0, unit.Users).Select(CartWorkloadOptions.UserKey)], [.. options.ItemKeys]);
        IReadOnlyList<CartInvariantResult> checks = CartInvariants.Check(options, operations, outcomes, final);
        if (CartInvariants.Failure(checks) is { } failure)
        {
            throw new InvalidOperationException($"Unit {InstanceIds.Unit(run.RunId, unit)}: {failure}");
        }

        if (!input.Recorded)
        {
            return null;
        }

        DateTime start = chunks.Min(c => c.Start);
        DateTime end = chunks.Max(c => c.End);
        IReadOnlyList<TimingRecord> timings = await ReadTimingsAsync(context, run.RunId, unit);
        ScenarioResult result = ScenarioResult.From(unit, start, end, [.. timings.Select(t => t.LatencyMs)], input.Floors, unitFloors);
        CartFigures figures = Figures(operations, outcomes, timings, result.ExecutionSeconds, cart.CriticalSection);
        double? efficiency = result.FloorRate is double rate && rate > 0 ? result.InvocationsPerSecond * figures.StepsPerOperation / rate : null;
        return result with
        {
            Users = unit.Users,
            StepsPerInvocation = (int)Math.Round(figures.StepsPerOperation, MidpointRounding.AwayFromZero),
            Efficiency = efficiency,
            Invariants = [.. checks.Select(c => new InvariantResult(c.Name, c.Holds, c.Detail))],
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

    private static CartFigures Figures(IReadOnlyList<CartOperation> operations, IReadOnlyList<CartOutcome> outcomes, IReadOnlyList<TimingRecord> timings, double seconds, bool criticalSection)
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
        TaskOrchestrationContext context, UnitInput input, CartShop shop, IReadOnlyList<CartOperation> operations, int loop, int chunkSize, bool criticalSection)
    {
        var results = new List<CartChunkResult>();
        for (int first = 0, chunk = 0; first < operations.Count; first += chunkSize, chunk++)
        {
            var chunkInput = new CartChunkInput(
                input.Run.RunId, input.Unit, shop.Scope, [.. operations.Skip(first).Take(chunkSize)], criticalSection, input.Recorded);
            results.Add(await context.CallSubOrchestratorAsync<CartChunkResult>(
                nameof(CartChunkOrchestration), chunkInput, new SubOrchestrationOptions { InstanceId = InstanceIds.CartChunk(input.Run.RunId, input.Unit, loop, chunk) }));
        }

        return [.. results];
    }

    /// <summary>Every recorded timing of the unit, re-read after a pause while fewer than N have arrived (the chunks' signals are not ordered with this read).</summary>
    private static async Task<IReadOnlyList<TimingRecord>> ReadTimingsAsync(TaskOrchestrationContext context, string runId, BenchUnit unit)
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
}

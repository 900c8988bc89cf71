namespace FunctionsBench.ShoppingCart;

/// <summary>What a system holds at the end of a unit, read from its own state (entities, or the remote functions' state).</summary>
/// <param name="Stock">Every item's stock.</param>
/// <param name="Baskets">Every user's basket (item to quantity); a user with an empty basket may be missing.</param>
/// <param name="CartOperationsApplied">Per user: how many of its AddToCart, ClearCart and Checkout operations its cart applied.</param>
/// <param name="StockOperationsApplied">
/// Per item: how many operations its stock applied (a reservation asked by an AddToCart, a RestockItem, a return of a
/// ClearCart whose basket held the item).
/// </param>
public sealed record CartFinalState(
    IReadOnlyDictionary<string, int> Stock,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Baskets,
    IReadOnlyDictionary<string, int> CartOperationsApplied,
    IReadOnlyDictionary<string, int> StockOperationsApplied);

/// <summary>One invariant's verdict.</summary>
/// <param name="Name">Its name (see <see cref="CartInvariants"/>).</param>
/// <param name="Holds">Whether it held.</param>
/// <param name="Detail">What was checked, or the first violations with their item, user, operation and numbers.</param>
/// <param name="Violations">How many keys or operations broke it.</param>
public sealed record CartInvariantResult(string Name, bool Holds, string Detail, int Violations = 0);

/// <summary>
/// The invariants of the workload, checked after every unit against the operations that were generated, what each
/// returned to its user, and the final state. Given which AddToCart found stock (their outcomes), every final stock,
/// basket and receipt is determined whatever the order of the users' operations, so each is compared exactly with a
/// replay of every user's operations in order.
/// </summary>
public static class CartInvariants
{
    /// <summary>Every operation returned an outcome, each once.</summary>
    public const string EveryOutcome = "every-outcome";

    /// <summary>For every item: initial + restocked = in stock + in baskets + checked out.</summary>
    public const string Conservation = "conservation";

    /// <summary>No item's stock below zero.</summary>
    public const string NoNegativeStock = "no-negative-stock";

    /// <summary>Every receipt equals the basket at its checkout.</summary>
    public const string ReceiptsMatchBaskets = "receipts-match-baskets";

    /// <summary>Every final basket and stock equals the replay's.</summary>
    public const string StateMatchesReplay = "state-matches-replay";

    /// <summary>Every operation applied exactly once: each cart and stock applied as many operations as were addressed to it.</summary>
    public const string ExactlyOnce = "exactly-once";

    /// <summary>Every invariant's name, in the order <see cref="Check"/> reports them.</summary>
    public static IReadOnlyList<string> Names { get; } = [EveryOutcome, Conservation, NoNegativeStock, ReceiptsMatchBaskets, StateMatchesReplay, ExactlyOnce];

    private const int ShownViolations = 5;

    /// <summary>Checks every invariant.</summary>
    /// <param name="options">The unit's workload options (initial stock, items).</param>
    /// <param name="operations">The unit's operations, ids 0 to N-1.</param>
    /// <param name="outcomes">What each operation returned (several for one id means it was answered more than once).</param>
    /// <param name="final">The final state read from the system.</param>
    public static IReadOnlyList<CartInvariantResult> Check(CartWorkloadOptions options, IReadOnlyList<CartOperation> operations, IReadOnlyList<CartOutcome> outcomes, CartFinalState final)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(final);
        var results = new List<CartInvariantResult>();
        var byId = new Dictionary<int, CartOutcome>();
        var outcomeProblems = new List<string>();
        foreach (CartOutcome outcome in outcomes)
        {
            if (outcome.OperationId < 0 || outcome.OperationId >= operations.Count)
            {
                outcomeProblems.Add($"operation {outcome.OperationId} was never made");
            }
            else if (!byId.TryAdd(outcome.OperationId, outcome))
            {
                outcomeProblems.Add($"operation {outcome.OperationId} answered more than once");
            }
        }

        outcomeProblems.AddRange(operations.Where(o => !byId.ContainsKey(o.Id)).Select(o => $"operation {o.Id} ({o.Kind}, {o.UserId}) has no outcome"));
        results.Add(Verdict(EveryOutcome, outcomeProblems, $"{operations.Count} operations, {byId.Count} outcomes"));

        Replay replay = Replay.Run(options, operations, byId);

        var conservation = new List<string>();
        var negative = new List<string>();
        foreach (string item in options.ItemKeys)
        {
            int stock = final.Stock.GetValueOrDefault(item);
            int inBaskets = final.Baskets.Values.Sum(b => b.GetValueOrDefault(item));
            int checkedOut = replay.CheckedOut.GetValueOrDefault(item);
            int restocked = replay.Restocked.GetValueOrDefault(item);
            if (options.InitialStock + restocked != stock + inBaskets + checkedOut)
            {
                conservation.Add($"{item}: initial {options.InitialStock} + restocked {restocked} = {options.InitialStock + restocked}, but in stock {stock} + in baskets {inBaskets} + checked out {checkedOut} = {stock + inBaskets + checkedOut}");
            }

            if (stock < 0)
            {
                negative.Add($"{item}: stock {stock}");
            }
        }

        results.Add(Verdict(Conservation, conservation, $"{options.Items} items: initial + restocked = in stock + in baskets + checked out"));
        results.Add(Verdict(NoNegativeStock, negative, $"{options.Items} items, lowest stock {(final.Stock.Count == 0 ? 0 : final.Stock.Values.Min())}"));
        results.Add(Verdict(ReceiptsMatchBaskets, replay.ReceiptProblems, $"{replay.Checkouts} receipts each equal to the basket at its checkout"));

        var mismatches = new List<string>();
        foreach (string item in options.ItemKeys)
        {
            int expected = replay.Stock.GetValueOrDefault(item, options.InitialStock);
            int actual = final.Stock.GetValueOrDefault(item);
            if (expected != actual)
            {
                mismatches.Add($"{item}: stock {actual}, replay {expected}");
            }
        }

        foreach (string user in replay.Baskets.Keys.Union(final.Baskets.Keys).Order(StringComparer.Ordinal))
        {
            string expected = Lines(replay.Baskets.GetValueOrDefault(user));
            string actual = Lines(final.Baskets.GetValueOrDefault(user));
            if (expected != actual)
            {
                mismatches.Add($"{user}: basket [{actual}], replay [{expected}]");
            }
        }

        results.Add(Verdict(StateMatchesReplay, mismatches, $"{options.Items} stocks and {replay.Baskets.Count} baskets equal to the replay of every user's operations"));

        var counts = new List<string>();
        foreach ((string user, int expected) in replay.CartOperations.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            int applied = final.CartOperationsApplied.GetValueOrDefault(user);
            if (applied != expected)
            {
                counts.Add($"cart {user}: applied {applied} operations, {expected} were sent");
            }
        }

        foreach (string item in options.ItemKeys)
        {
            int expected = replay.StockOperations.GetValueOrDefault(item);
            int applied = final.StockOperationsApplied.GetValueOrDefault(item);
            if (applied != expected)
            {
                counts.Add($"stock {item}: applied {applied} operations, {expected} were sent");
            }
        }

        results.Add(Verdict(ExactlyOnce, counts, $"{replay.CartOperations.Count} carts and {options.Items} stocks applied {replay.CartOperations.Values.Sum() + replay.StockOperations.Values.Sum()} operations, each once"));
        return results;
    }

    /// <summary>The failed invariants as one message (for an exception that fails a unit), or null when all held.</summary>
    public static string? Failure(IReadOnlyList<CartInvariantResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        List<CartInvariantResult> failed = [.. results.Where(r => !r.Holds)];
        return failed.Count == 0 ? null : "Cart invariants broken: " + string.Join("; ", failed.Select(r => $"{r.Name} ({r.Violations}): {r.Detail}"));
    }

    private static CartInvariantResult Verdict(string name, List<string> violations, string checkedWhat)
        => violations.Count == 0
            ? new(name, true, checkedWhat)
            : new(name, false, string.Join("; ", violations.Take(ShownViolations)) + (violations.Count > ShownViolations ? $"; and {violations.Count - ShownViolations} more" : string.Empty), violations.Count);

    private static string Lines(IReadOnlyDictionary<string, int>? basket)
        => basket is null ? string.Empty : string.Join(", ", basket.Where(l => l.Value != 0).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key} x{l.Value}"));

    /// <summary>Every user's operations replayed in order, with the stock each AddToCart found as its outcome says.</summary>
    private sealed class Replay
    {
        public Dictionary<string, int> Stock { get; } = [];

        public Dictionary<string, Dictionary<string, int>> Baskets { get; } = [];

        public Dictionary<string, int> Restocked { get; } = [];

        public Dictionary<string, int> CheckedOut { get; } = [];

        public Dictionary<string, int> CartOperations { get; } = [];

        public Dictionary<string, int> StockOperations { get; } = [];

        public List<string> ReceiptProblems { get; } = [];

        public int Checkouts { get; private set; }

        public static Replay Run(CartWorkloadOptions options, IReadOnlyList<CartOperation> operations, Dictionary<int, CartOutcome> outcomes)
        {
            var replay = new Replay();
            foreach (string item in options.ItemKeys)
            {
                replay.Stock[item] = options.InitialStock;
            }

            foreach (CartOperation op in operations.OrderBy(o => o.Id))
            {
                CartOutcome? outcome = outcomes.GetValueOrDefault(op.Id);
                Dictionary<string, int> basket = replay.BasketOf(op.UserId);
                switch (op.Kind)
                {
                    case CartOperationKind.AddToCart:
                        Add(replay.CartOperations, op.UserId, 1);
                        Add(replay.StockOperations, op.ItemId!, 1);
                        if (outcome?.InStock == true)
                        {
                            Add(replay.Stock, op.ItemId!, -op.Quantity);
                            Add(basket, op.ItemId!, op.Quantity);
                        }

                        break;
                    case CartOperationKind.ClearCart:
                        Add(replay.CartOperations, op.UserId, 1);
                        foreach ((string item, int quantity) in basket.Where(l => l.Value != 0))
                        {
                            Add(replay.StockOperations, item, 1);
                            Add(replay.Stock, item, quantity);
                        }

                        basket.Clear();
                        break;
                    case CartOperationKind.Checkout:
                        Add(replay.CartOperations, op.UserId, 1);
                        replay.Checkouts++;
                        string expected = Lines(basket);
                        string actual = Lines(outcome?.Receipt);
                        if (outcome is not null && expected != actual)
                        {
                            replay.ReceiptProblems.Add($"checkout {op.Id} of {op.UserId}: receipt [{actual}], basket [{expected}]");
                        }

                        foreach ((string item, int quantity) in basket)
                        {
                            Add(replay.CheckedOut, item, quantity);
                        }

                        basket.Clear();
                        break;
                    case CartOperationKind.RestockItem:
                        Add(replay.StockOperations, op.ItemId!, 1);
                        Add(replay.Stock, op.ItemId!, op.Quantity);
                        Add(replay.Restocked, op.ItemId!, op.Quantity);
                        break;
                }
            }

            return replay;
        }

        private Dictionary<string, int> BasketOf(string user)
        {
            if (!this.Baskets.TryGetValue(user, out Dictionary<string, int>? basket))
            {
                this.Baskets[user] = basket = [];
            }

            return basket;
        }

        private static void Add(Dictionary<string, int> counts, string key, int amount)
            => counts[key] = counts.GetValueOrDefault(key) + amount;
    }
}

namespace FunctionsBench.ShoppingCart.Tests;

/// <summary>
/// A correct shop in memory, applying operations in the order given: the reference the invariant tests break on
/// purpose. Each fault switch makes it wrong in one way a real system could be.
/// </summary>
internal sealed class InMemoryShop(CartWorkloadOptions options)
{
    private readonly Dictionary<string, int> stock = options.ItemKeys.ToDictionary(i => i, _ => options.InitialStock);
    private readonly Dictionary<string, Dictionary<string, int>> baskets = [];
    private readonly Dictionary<string, int> cartApplied = [];
    private readonly Dictionary<string, int> stockApplied = [];

    /// <summary>Applies every AddToCart twice (a redelivered message without deduplication).</summary>
    public bool DoubleApplyAdds { get; init; }

    /// <summary>Clears the basket without returning its stock (the playground's ClearCart loses the reservation).</summary>
    public bool ClearWithoutReturn { get; init; }

    /// <summary>Emits checkout receipts that leave out the basket's last line.</summary>
    public bool ShortReceipts { get; init; }

    /// <summary>Reserves even when the stock is short.</summary>
    public bool Oversell { get; init; }

    public List<CartOutcome> Outcomes { get; } = [];

    public void ApplyAll(IEnumerable<CartOperation> operations)
    {
        foreach (CartOperation op in operations)
        {
            this.Apply(op);
        }
    }

    public void Apply(CartOperation op)
    {
        Dictionary<string, int> basket = this.Basket(op.UserId);
        switch (op.Kind)
        {
            case CartOperationKind.AddToCart:
                bool inStock = false;
                for (int time = 0; time < (this.DoubleApplyAdds ? 2 : 1); time++)
                {
                    Count(this.cartApplied, op.UserId);
                    Count(this.stockApplied, op.ItemId!);
                    inStock = this.Oversell || this.stock[op.ItemId!] >= op.Quantity;
                    if (inStock)
                    {
                        this.stock[op.ItemId!] -= op.Quantity;
                        basket[op.ItemId!] = basket.GetValueOrDefault(op.ItemId!) + op.Quantity;
                    }
                }

                this.Outcomes.Add(new(op.Id, inStock));
                break;
            case CartOperationKind.ClearCart:
                Count(this.cartApplied, op.UserId);
                foreach ((string item, int quantity) in basket)
                {
                    Count(this.stockApplied, item);
                    if (!this.ClearWithoutReturn)
                    {
                        this.stock[item] += quantity;
                    }
                }

                basket.Clear();
                this.Outcomes.Add(new(op.Id));
                break;
            case CartOperationKind.Checkout:
                Count(this.cartApplied, op.UserId);
                Dictionary<string, int> receipt = new(basket);
                if (this.ShortReceipts && receipt.Count > 0)
                {
                    receipt.Remove(receipt.Keys.Max(StringComparer.Ordinal)!);
                }

                basket.Clear();
                this.Outcomes.Add(new(op.Id, Receipt: receipt));
                break;
            case CartOperationKind.RestockItem:
                Count(this.stockApplied, op.ItemId!);
                this.stock[op.ItemId!] += op.Quantity;
                this.Outcomes.Add(new(op.Id));
                break;
        }
    }

    public CartFinalState Final()
        => new(
            new Dictionary<string, int>(this.stock),
            this.baskets.ToDictionary(b => b.Key, b => (IReadOnlyDictionary<string, int>)new Dictionary<string, int>(b.Value)),
            new Dictionary<string, int>(this.cartApplied),
            new Dictionary<string, int>(this.stockApplied));

    private Dictionary<string, int> Basket(string user)
    {
        if (!this.baskets.TryGetValue(user, out Dictionary<string, int>? basket))
        {
            this.baskets[user] = basket = [];
        }

        return basket;
    }

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}

namespace FunctionsBench.ShoppingCart.DurableFunctions;

/// <summary>The entities of one shop: a cart per user and a stock per item, their keys under one scope (a unit of the bench).</summary>
/// <param name="Scope">What every key of this shop starts with; no two shops share one.</param>
public sealed record CartShop(string Scope)
{
    /// <summary>The cart of <paramref name="userId"/>.</summary>
    public EntityInstanceId Cart(string userId) => new(nameof(CartEntity), $"{this.Scope}.{userId}");

    /// <summary>The stock of <paramref name="itemId"/>.</summary>
    public EntityInstanceId Stock(string itemId) => new(nameof(StockEntity), $"{this.Scope}.{itemId}");
}

/// <summary>
/// Applies the workload's operations to the entities, from an orchestration (orchestrator code: deterministic, no I/O of
/// its own). Every entity operation is a call, so when an operation returns, every entity it changed has applied it.
/// </summary>
/// <remarks>
/// <para>
/// Without a critical section, AddToCart is two calls: the stock reserves (or answers out of stock), then the cart adds
/// the line. Between the two the quantity is in flight: out of the stock and not yet in the basket. The orchestration is
/// durable, so the second call is made even if the host dies in between (the first call's answer is in its history),
/// and only this user's loop sends operations to this cart, so nothing else can see or change the basket meanwhile.
/// ClearCart is the same the other way round: the cart empties and answers its lines, then every line is returned to its
/// stock (the returns in parallel).
/// </para>
/// <para>
/// With <c>criticalSection</c>, the orchestration first locks the cart and the stocks involved
/// (<see cref="TaskOrchestrationEntityFeature.LockEntitiesAsync(IEnumerable{EntityInstanceId})"/>), so no other
/// orchestration's operation on those entities runs between the two calls: an observer never sees a quantity in
/// flight. ClearCart reads the basket first to know which stocks to lock.
/// </para>
/// </remarks>
public static class CartWorkflow
{
    /// <summary>Applies <paramref name="operation"/> and returns what its user gets back.</summary>
    public static async Task<CartOutcome> ApplyAsync(TaskOrchestrationContext context, CartShop shop, CartOperation operation, bool criticalSection)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(operation);
        EntityInstanceId cart = shop.Cart(operation.UserId);
        switch (operation.Kind)
        {
            case CartOperationKind.AddToCart:
            {
                EntityInstanceId stock = shop.Stock(operation.ItemId!);
                if (!criticalSection)
                {
                    return await AddToCartAsync(context, cart, stock, operation);
                }

                await using (await context.Entities.LockEntitiesAsync(cart, stock))
                {
                    return await AddToCartAsync(context, cart, stock, operation);
                }
            }

            case CartOperationKind.ClearCart:
            {
                if (!criticalSection)
                {
                    return await ClearCartAsync(context, shop, cart, operation, locked: null);
                }

                Dictionary<string, int> lines = await context.Entities.CallEntityAsync<Dictionary<string, int>>(cart, nameof(CartEntity.Lines));
                HashSet<string> items = [.. lines.Where(l => l.Value != 0).Select(l => l.Key)];
                await using (await context.Entities.LockEntitiesAsync([cart, .. items.Order(StringComparer.Ordinal).Select(shop.Stock)]))
                {
                    return await ClearCartAsync(context, shop, cart, operation, items);
                }
            }

            case CartOperationKind.Checkout:
            {
                Dictionary<string, int> receipt = await context.Entities.CallEntityAsync<Dictionary<string, int>>(cart, nameof(CartEntity.Checkout));
                return new CartOutcome(operation.Id, Receipt: receipt);
            }

            case CartOperationKind.RestockItem:
                await context.Entities.CallEntityAsync<int>(shop.Stock(operation.ItemId!), nameof(StockEntity.Restock), operation.Quantity);
                return new CartOutcome(operation.Id);

            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "Unknown cart operation.");
        }
    }

    /// <summary>Sets every item's stock to <paramref name="initialStock"/>, all items at once (the calls run in parallel).</summary>
    public static Task SeedAsync(TaskOrchestrationContext context, CartShop shop, IEnumerable<string> itemIds, int initialStock)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(shop);
        return Task.WhenAll(itemIds.Select(item => context.Entities.CallEntityAsync(shop.Stock(item), nameof(StockEntity.Seed), initialStock)));
    }

    /// <summary>Reads the final state of every cart and stock of the shop, all at once.</summary>
    public static async Task<CartFinalState> ReadFinalStateAsync(TaskOrchestrationContext context, CartShop shop, IReadOnlyList<string> userIds, IReadOnlyList<string> itemIds)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(itemIds);
        Task<CartState>[] carts = [.. userIds.Select(u => context.Entities.CallEntityAsync<CartState>(shop.Cart(u), nameof(CartEntity.Get)))];
        Task<StockState>[] stocks = [.. itemIds.Select(i => context.Entities.CallEntityAsync<StockState>(shop.Stock(i), nameof(StockEntity.Get)))];
        CartState[] cartStates = await Task.WhenAll(carts);
        StockState[] stockStates = await Task.WhenAll(stocks);
        var baskets = new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        var cartApplied = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int u = 0; u < userIds.Count; u++)
        {
            baskets[userIds[u]] = cartStates[u].Basket;
            cartApplied[userIds[u]] = cartStates[u].Applied;
        }

        var stock = new Dictionary<string, int>(StringComparer.Ordinal);
        var stockApplied = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < itemIds.Count; i++)
        {
            stock[itemIds[i]] = stockStates[i].Stock;
            stockApplied[itemIds[i]] = stockStates[i].Applied;
        }

        return new CartFinalState(stock, baskets, cartApplied, stockApplied);
    }

    private static async Task<CartOutcome> AddToCartAsync(TaskOrchestrationContext context, EntityInstanceId cart, EntityInstanceId stock, CartOperation operation)
    {
        ItemAvailability availability = await context.Entities.CallEntityAsync<ItemAvailability>(stock, nameof(StockEntity.Reserve), operation.Quantity);
        await context.Entities.CallEntityAsync(cart, nameof(CartEntity.Add), new CartLine(operation.Id, operation.ItemId!, operation.Quantity, availability.InStock));
        return new CartOutcome(operation.Id, InStock: availability.InStock);
    }

    private static async Task<CartOutcome> ClearCartAsync(TaskOrchestrationContext context, CartShop shop, EntityInstanceId cart, CartOperation operation, HashSet<string>? locked)
    {
        Dictionary<string, int> lines = await context.Entities.CallEntityAsync<Dictionary<string, int>>(cart, nameof(CartEntity.Clear));
        KeyValuePair<string, int>[] returns = [.. lines.Where(l => l.Value > 0).OrderBy(l => l.Key, StringComparer.Ordinal)];
        if (locked is not null && returns.FirstOrDefault(l => !locked.Contains(l.Key)) is { Key: not null } unlocked)
        {
            throw new InvalidOperationException($"ClearCart {operation.Id} of {operation.UserId}: the basket held {unlocked.Key}, which it did not hold when its stocks were locked.");
        }

        await Task.WhenAll(returns.Select(l => context.Entities.CallEntityAsync<int>(shop.Stock(l.Key), nameof(StockEntity.Return), l.Value)));
        return new CartOutcome(operation.Id);
    }
}

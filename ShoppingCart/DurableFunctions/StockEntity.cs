namespace FunctionsBench.ShoppingCart.DurableFunctions;

/// <summary>An item's stock (the playground's <c>stock</c>) and how many operations it applied.</summary>
public sealed class StockState
{
    /// <summary>Units available to reserve.</summary>
    public int Stock { get; set; }

    /// <summary>Reservations, restocks and returns applied, each once (not the initial seeding).</summary>
    public int Applied { get; set; }
}

/// <summary>The stock's answer to a reservation (the playground's <c>ItemAvailability</c>).</summary>
/// <param name="InStock">INSTOCK: the quantity was reserved; OUTOFSTOCK: nothing changed.</param>
/// <param name="Quantity">The quantity asked for.</param>
public sealed record ItemAvailability(bool InStock, int Quantity);

/// <summary>
/// The stock entity, keyed by item: Durable Functions' counterpart of the StateFun playground's <c>com.example/stock</c>.
/// A reservation takes the quantity only when all of it is there, so the stock never goes below zero.
/// </summary>
public sealed class StockEntity : TaskEntity<StockState>
{
    /// <summary>Functions trigger.</summary>
    [Function(nameof(StockEntity))]
    public static Task Run([EntityTrigger] TaskEntityDispatcher dispatcher) => dispatcher.DispatchAsync<StockEntity>();

    /// <summary>Sets the initial stock before a unit's first operation (not counted as an applied operation).</summary>
    public void Seed(int stock)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stock);
        this.State.Stock = stock;
        this.State.Applied = 0;
    }

    /// <summary>An AddToCart's request (the playground's <c>RequestItem</c>): reserves <paramref name="quantity"/> if it is all there.</summary>
    public ItemAvailability Reserve(int quantity)
    {
        RequirePositive(quantity);
        this.State.Applied++;
        if (this.State.Stock < quantity)
        {
            return new ItemAvailability(false, quantity);
        }

        this.State.Stock -= quantity;
        return new ItemAvailability(true, quantity);
    }

    /// <summary>A RestockItem: adds <paramref name="quantity"/>.</summary>
    public int Restock(int quantity)
    {
        RequirePositive(quantity);
        this.State.Applied++;
        this.State.Stock += quantity;
        return this.State.Stock;
    }

    /// <summary>A ClearCart's return of the quantity a basket held.</summary>
    public int Return(int quantity)
    {
        RequirePositive(quantity);
        this.State.Applied++;
        this.State.Stock += quantity;
        return this.State.Stock;
    }

    /// <summary>The whole state (read at the end of a unit).</summary>
    public StockState Get() => this.State;

    /// <inheritdoc/>
    protected override StockState InitializeState(TaskEntityOperation entityOperation) => new();

    private static void RequirePositive(int quantity)
    {
        if (quantity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, "A quantity must be at least 1.");
        }
    }
}

namespace FunctionsBench.ShoppingCart.DurableFunctions;

/// <summary>What a user's cart holds (the playground's <c>basket</c>) and how many operations it applied.</summary>
public sealed class CartState
{
    /// <summary>Item to quantity reserved for this user.</summary>
    public Dictionary<string, int> Basket { get; set; } = new(StringComparer.Ordinal);

    /// <summary>AddToCart, ClearCart and Checkout operations applied, each once.</summary>
    public int Applied { get; set; }
}

/// <summary>An AddToCart's line, sent to the cart after the stock answered.</summary>
/// <param name="OperationId">The workload operation it belongs to.</param>
/// <param name="ItemId">The item.</param>
/// <param name="Quantity">The quantity asked for.</param>
/// <param name="InStock">Whether the stock reserved it (INSTOCK): only then does the basket change.</param>
public sealed record CartLine(int OperationId, string ItemId, int Quantity, bool InStock);

/// <summary>
/// The cart entity, keyed by user: Durable Functions' counterpart of the StateFun playground's
/// <c>com.example/user-shopping-cart</c>. It holds the basket; the stock is reserved by <see cref="StockEntity"/> before a
/// line reaches it (<see cref="CartWorkflow"/>).
/// </summary>
public sealed class CartEntity : TaskEntity<CartState>
{
    /// <summary>Functions trigger.</summary>
    [Function(nameof(CartEntity))]
    public static Task Run([EntityTrigger] TaskEntityDispatcher dispatcher) => dispatcher.DispatchAsync<CartEntity>();

    /// <summary>Applies an AddToCart: the line joins the basket when the stock reserved it.</summary>
    public void Add(CartLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Quantity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(line), line.Quantity, $"Operation {line.OperationId}: a quantity must be at least 1.");
        }

        this.State.Applied++;
        if (line.InStock)
        {
            this.State.Basket[line.ItemId] = this.State.Basket.GetValueOrDefault(line.ItemId) + line.Quantity;
        }
    }

    /// <summary>Applies a ClearCart: empties the basket and returns its lines, which the caller gives back to their stocks.</summary>
    public Dictionary<string, int> Clear()
    {
        this.State.Applied++;
        return this.TakeBasket();
    }

    /// <summary>Applies a Checkout: empties the basket and returns it as the receipt (the reserved quantities are sold).</summary>
    public Dictionary<string, int> Checkout()
    {
        this.State.Applied++;
        return this.TakeBasket();
    }

    /// <summary>The basket's lines, without changing anything (read before a ClearCart locks the basket's stocks).</summary>
    public Dictionary<string, int> Lines() => new(this.State.Basket, StringComparer.Ordinal);

    /// <summary>The whole state (read at the end of a unit).</summary>
    public CartState Get() => this.State;

    /// <inheritdoc/>
    protected override CartState InitializeState(TaskEntityOperation entityOperation) => new();

    private Dictionary<string, int> TakeBasket()
    {
        Dictionary<string, int> lines = this.State.Basket;
        this.State.Basket = new(StringComparer.Ordinal);
        return lines;
    }
}

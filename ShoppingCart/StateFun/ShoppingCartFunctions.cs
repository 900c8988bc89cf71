using System.Globalization;
using System.Text;
using FunctionsBench.StateFun;

namespace FunctionsBench.ShoppingCart.StateFun;

/// <summary>
/// The Flink StateFun playground's shopping cart (<c>java/shopping-cart</c>, StateFun 3.3) in C#:
/// <c>com.example/user-shopping-cart</c>, keyed by user, keeps the basket and asks <c>com.example/stock</c>, keyed by
/// item, to reserve what is added. Type names, JSON fields and state names are the playground's; two behaviours are
/// this workload's (see ShoppingCart/README.md): Checkout empties the basket (the quantities are sold) and ClearCart
/// writes the emptied basket back after returning every quantity to its stock. Each function also counts, in a state
/// <c>applied</c>, the operations it applied, so that a unit can prove each was applied exactly once.
/// </summary>
public static class ShoppingCartFunctions
{
    /// <summary><c>com.example/user-shopping-cart</c>.</summary>
    public static TypeName CartFunction { get; } = TypeName.Of("com.example", "user-shopping-cart");

    /// <summary><c>com.example/stock</c>.</summary>
    public static TypeName StockFunction { get; } = TypeName.Of("com.example", "stock");

    /// <summary><c>io.statefun.playground/egress</c>, the playground's HTTP egress.</summary>
    public static TypeName Egress { get; } = TypeName.Of("io.statefun.playground", "egress");

    /// <summary>The egress topic of the receipts.</summary>
    public const string ReceiptsTopic = "receipts";

    /// <summary><c>com.example/AddToCart</c>, JSON.</summary>
    public static StateFunType<AddToCart> AddToCartType { get; } = Types.Json(TypeName.Of("com.example", "AddToCart"), CartJsonContext.Default.AddToCart);

    /// <summary><c>com.example/ClearCart</c>, JSON.</summary>
    public static StateFunType<ClearCart> ClearCartType { get; } = Types.Json(TypeName.Of("com.example", "ClearCart"), CartJsonContext.Default.ClearCart);

    /// <summary><c>com.example/Checkout</c>, JSON.</summary>
    public static StateFunType<Checkout> CheckoutType { get; } = Types.Json(TypeName.Of("com.example", "Checkout"), CartJsonContext.Default.Checkout);

    /// <summary><c>com.example/RestockItem</c>, JSON.</summary>
    public static StateFunType<RestockItem> RestockItemType { get; } = Types.Json(TypeName.Of("com.example", "RestockItem"), CartJsonContext.Default.RestockItem);

    /// <summary><c>com.example/RequestItem</c>, JSON.</summary>
    public static StateFunType<RequestItem> RequestItemType { get; } = Types.Json(TypeName.Of("com.example", "RequestItem"), CartJsonContext.Default.RequestItem);

    /// <summary><c>com.example/ItemAvailability</c>, JSON.</summary>
    public static StateFunType<ItemAvailability> ItemAvailabilityType { get; } = Types.Json(TypeName.Of("com.example", "ItemAvailability"), CartJsonContext.Default.ItemAvailability);

    /// <summary><c>com.example/Receipt</c>, JSON (the payload of a receipt's egress record).</summary>
    public static StateFunType<Receipt> ReceiptType { get; } = Types.Json(TypeName.Of("com.example", "Receipt"), CartJsonContext.Default.Receipt);

    /// <summary><c>com.example/Basket</c>, JSON: the type of the cart's state <c>basket</c>.</summary>
    public static StateFunType<Basket> BasketType { get; } = Types.Json(TypeName.Of("com.example", "Basket"), CartJsonContext.Default.Basket);

    /// <summary><c>io.statefun.playground/EgressRecord</c>, JSON.</summary>
    public static StateFunType<ReceiptRecord> EgressRecordType { get; } = Types.Json(TypeName.Of("io.statefun.playground", "EgressRecord"), CartJsonContext.Default.ReceiptRecord);

    /// <summary>The cart's basket, item to quantity (absent when empty).</summary>
    public static ValueSpec<Basket> BasketState { get; } = new("basket", BasketType);

    /// <summary>The stock's quantity, <c>io.statefun.types/int</c>.</summary>
    public static ValueSpec<int> StockState { get; } = new("stock", Types.Int);

    /// <summary>
    /// How many operations the address applied, <c>io.statefun.types/int</c>: for a cart each AddToCart (when its
    /// availability arrives), ClearCart and Checkout; for a stock each RequestItem and RestockItem (a restock, or one
    /// return of a ClearCart).
    /// </summary>
    public static ValueSpec<int> AppliedState { get; } = new("applied", Types.Int);

    /// <summary>Registers both functions.</summary>
    /// <returns><paramref name="functions"/>, for chaining.</returns>
    public static StatefulFunctions AddShoppingCart(this StatefulFunctions functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        return functions
            .Register(CartFunction, Cart, BasketState, AppliedState)
            .Register(StockFunction, Stock, StockState, AppliedState);
    }

    /// <summary>A handler serving both functions alone.</summary>
    public static RequestReplyHandler CreateHandler() => new(new StatefulFunctions().AddShoppingCart());

    /// <summary>A receipt's details: one line <c>item: quantity</c> per non-empty line of the basket, in ordinal order of the items.</summary>
    public static string Details(IReadOnlyDictionary<string, int> basket)
    {
        ArgumentNullException.ThrowIfNull(basket);
        var text = new StringBuilder();
        foreach (var (item, quantity) in basket.Where(l => l.Value != 0).OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(item).Append(": ").Append(quantity.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>The lines of a receipt's details, item to quantity.</summary>
    /// <exception cref="FormatException">A line is not <c>item: quantity</c>, or an item appears twice.</exception>
    public static Dictionary<string, int> ParseDetails(string details)
    {
        ArgumentNullException.ThrowIfNull(details);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        if (details.Length == 0)
        {
            return lines;
        }

        foreach (var line in details.Split('\n'))
        {
            var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0 || !int.TryParse(line.AsSpan(colon + 2), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var quantity)
                || !lines.TryAdd(line[..colon], quantity))
            {
                throw new FormatException($"Receipt line '{line}' is not 'item: quantity' of an item not listed before.");
            }
        }

        return lines;
    }

    private static ValueTask Cart(Context context, Message message)
    {
        var storage = context.Storage;
        if (message.Is(AddToCartType))
        {
            // Applied once its availability arrives: the reservation is the stock's, the basket line the cart's.
            var add = message.As(AddToCartType);
            RequirePositive(add.Quantity, "AddToCart");
            ArgumentException.ThrowIfNullOrEmpty(add.ItemId, "itemId");
            context.Send(new Address(StockFunction, add.ItemId), RequestItemType, new RequestItem(add.Quantity));
            return ValueTask.CompletedTask;
        }

        if (message.Is(ItemAvailabilityType))
        {
            var availability = message.As(ItemAvailabilityType);
            // The stock's id is the item: the answer names no item, its sender does (as in the playground).
            var caller = context.Caller;
            if (caller is null || caller.Type != StockFunction)
            {
                throw new InvalidOperationException($"{context.Self} got an ItemAvailability from {caller?.ToString() ?? "an ingress"}, not from a stock.");
            }

            if (availability.Status == AvailabilityStatus.InStock)
            {
                var basket = storage.TryGet(BasketState, out var stored) ? stored.Items : new Dictionary<string, int>(StringComparer.Ordinal);
                basket[caller.Id] = basket.GetValueOrDefault(caller.Id) + availability.Quantity;
                storage.Set(BasketState, new Basket(basket));
            }

            CountApplied(storage);
            return ValueTask.CompletedTask;
        }

        if (message.Is(ClearCartType))
        {
            message.As(ClearCartType);
            if (storage.TryGet(BasketState, out var basket))
            {
                foreach (var (item, quantity) in basket.Items.Where(l => l.Value != 0).OrderBy(l => l.Key, StringComparer.Ordinal))
                {
                    context.Send(new Address(StockFunction, item), RestockItemType, new RestockItem(item, quantity));
                }

                storage.Remove(BasketState);
            }

            CountApplied(storage);
            return ValueTask.CompletedTask;
        }

        if (message.Is(CheckoutType))
        {
            message.As(CheckoutType);
            var basket = storage.TryGet(BasketState, out var stored) ? stored.Items : [];
            var receipt = new Receipt(context.Self.Id, Details(basket));
            var payload = Encoding.UTF8.GetString(ReceiptType.Serialize(receipt).Span);
            context.SendEgress(Egress, EgressRecordType, new ReceiptRecord(ReceiptsTopic, payload));
            storage.Remove(BasketState);
            CountApplied(storage);
            return ValueTask.CompletedTask;
        }

        // Anything else is a caller error; throwing makes the endpoint answer 500, as the official SDKs do.
        throw new InvalidOperationException($"{context.Self} does not accept messages of type '{message.ValueTypeName}'.");
    }

    private static ValueTask Stock(Context context, Message message)
    {
        var storage = context.Storage;
        var stock = storage.GetOrDefault(StockState, 0);
        if (message.Is(RestockItemType))
        {
            var restock = message.As(RestockItemType);
            RequirePositive(restock.Quantity, "RestockItem");
            storage.Set(StockState, checked(stock + restock.Quantity));
            CountApplied(storage);
            return ValueTask.CompletedTask;
        }

        if (message.Is(RequestItemType))
        {
            var request = message.As(RequestItemType);
            RequirePositive(request.Quantity, "RequestItem");
            var caller = context.Caller
                ?? throw new InvalidOperationException($"{context.Self} got a RequestItem from an ingress; only a cart asks, and the answer goes to it.");
            var inStock = stock >= request.Quantity;
            if (inStock)
            {
                storage.Set(StockState, stock - request.Quantity);
            }

            context.Send(caller, ItemAvailabilityType, new ItemAvailability(inStock ? AvailabilityStatus.InStock : AvailabilityStatus.OutOfStock, request.Quantity));
            CountApplied(storage);
            return ValueTask.CompletedTask;
        }

        throw new InvalidOperationException($"{context.Self} does not accept messages of type '{message.ValueTypeName}'.");
    }

    private static void CountApplied(AddressScopedStorage storage) => storage.Set(AppliedState, storage.GetOrDefault(AppliedState, 0) + 1);

    private static void RequirePositive(int quantity, string message)
    {
        if (quantity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"A {message} needs a positive quantity.");
        }
    }
}

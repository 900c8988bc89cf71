using System.Text.Json.Serialization;

namespace FunctionsBench.ShoppingCart.StateFun;

/// <summary><c>com.example/AddToCart</c> (ingress to the user's cart): reserve <paramref name="Quantity"/> of an item and add it to the basket.</summary>
/// <param name="UserId">The cart's id.</param>
/// <param name="ItemId">The item's id, which is also its stock function's id.</param>
/// <param name="Quantity">How many.</param>
public sealed record AddToCart(
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("itemId")] string ItemId,
    [property: JsonPropertyName("quantity")] int Quantity);

/// <summary><c>com.example/ClearCart</c> (ingress to the user's cart): empty the basket and return its quantities to their stocks.</summary>
/// <param name="UserId">The cart's id.</param>
public sealed record ClearCart([property: JsonPropertyName("userId")] string UserId);

/// <summary><c>com.example/Checkout</c> (ingress to the user's cart): emit a receipt of the basket and empty it.</summary>
/// <param name="UserId">The cart's id.</param>
public sealed record Checkout([property: JsonPropertyName("userId")] string UserId);

/// <summary>
/// <c>com.example/RestockItem</c> (ingress to an item's stock, and from a cart returning what ClearCart took out of its
/// basket): add <paramref name="Quantity"/> to the stock.
/// </summary>
/// <param name="ItemId">The item's id.</param>
/// <param name="Quantity">How many.</param>
public sealed record RestockItem(
    [property: JsonPropertyName("itemId")] string ItemId,
    [property: JsonPropertyName("quantity")] int Quantity);

/// <summary><c>com.example/RequestItem</c> (cart to stock): reserve <paramref name="Quantity"/> if the stock has it.</summary>
/// <param name="Quantity">How many.</param>
public sealed record RequestItem([property: JsonPropertyName("quantity")] int Quantity);

/// <summary>An item's availability, written as the playground's Java enum names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AvailabilityStatus>))]
public enum AvailabilityStatus
{
    /// <summary><c>INSTOCK</c>: the stock had the quantity and reserved it.</summary>
    [JsonStringEnumMemberName("INSTOCK")]
    InStock,

    /// <summary><c>OUTOFSTOCK</c>: it had not; nothing changed.</summary>
    [JsonStringEnumMemberName("OUTOFSTOCK")]
    OutOfStock,
}

/// <summary><c>com.example/ItemAvailability</c> (stock to the cart that asked): the answer to a <see cref="RequestItem"/>.</summary>
/// <param name="Status">Whether the quantity was reserved.</param>
/// <param name="Quantity">The quantity asked for.</param>
public sealed record ItemAvailability(
    [property: JsonPropertyName("status")] AvailabilityStatus Status,
    [property: JsonPropertyName("quantity")] int Quantity);

/// <summary><c>com.example/Receipt</c>: what a checkout sold.</summary>
/// <param name="UserId">The cart's id.</param>
/// <param name="Details">One line <c>item: quantity</c> per item of the basket, in ordinal order of the item ids, joined by <c>\n</c>.</param>
public sealed record Receipt(
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("details")] string Details);

/// <summary>The state <c>basket</c> of a cart, <c>com.example/Basket</c>: <c>{"basket": {item: quantity}}</c>.</summary>
/// <param name="Items">Item id to quantity.</param>
public sealed record Basket([property: JsonPropertyName("basket")] Dictionary<string, int> Items);

/// <summary>The playground egress's record <c>io.statefun.playground/EgressRecord</c>: a topic and a text payload.</summary>
/// <param name="Topic">The topic, <c>receipts</c>.</param>
/// <param name="Payload">The <see cref="Receipt"/> as JSON.</param>
public sealed record ReceiptRecord(
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("payload")] string Payload);

[JsonSerializable(typeof(AddToCart))]
[JsonSerializable(typeof(ClearCart))]
[JsonSerializable(typeof(Checkout))]
[JsonSerializable(typeof(RestockItem))]
[JsonSerializable(typeof(RequestItem))]
[JsonSerializable(typeof(ItemAvailability))]
[JsonSerializable(typeof(Receipt))]
[JsonSerializable(typeof(Basket))]
[JsonSerializable(typeof(ReceiptRecord))]
internal sealed partial class CartJsonContext : JsonSerializerContext;

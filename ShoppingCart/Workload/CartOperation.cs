namespace FunctionsBench.ShoppingCart;

/// <summary>The operations a user of the shop makes (the StateFun playground's shopping-cart messages).</summary>
public enum CartOperationKind
{
    /// <summary>Reserve <c>Quantity</c> of an item from its stock and, if it was in stock, add it to the user's basket.</summary>
    AddToCart,

    /// <summary>Empty the user's basket and return every reserved quantity to its item's stock.</summary>
    ClearCart,

    /// <summary>Emit a receipt of the user's basket and empty it (the reserved quantities are sold).</summary>
    Checkout,

    /// <summary>Add <c>Quantity</c> to an item's stock.</summary>
    RestockItem,
}

/// <summary>One operation of a unit.</summary>
/// <param name="Id">Unique within the unit: the operation's sequence number, which every state it changes records once.</param>
/// <param name="Kind">What it does.</param>
/// <param name="UserId">The user whose cart it addresses (for <see cref="CartOperationKind.RestockItem"/>: the user loop that sent it).</param>
/// <param name="ItemId">The item of an AddToCart or RestockItem; null otherwise.</param>
/// <param name="Quantity">The quantity of an AddToCart or RestockItem; 0 otherwise.</param>
public sealed record CartOperation(int Id, CartOperationKind Kind, string UserId, string? ItemId, int Quantity)
{
    /// <summary>Whether it changes an item's stock directly (AddToCart reserves, RestockItem adds).</summary>
    public bool AddressesItem => this.Kind is CartOperationKind.AddToCart or CartOperationKind.RestockItem;
}

/// <summary>What one operation returned to the user who made it.</summary>
/// <param name="OperationId">The operation's <see cref="CartOperation.Id"/>.</param>
/// <param name="InStock">For an AddToCart: whether the stock had the quantity and reserved it (INSTOCK); otherwise true.</param>
/// <param name="Receipt">For a Checkout: the receipt's lines, item to quantity; null otherwise.</param>
public sealed record CartOutcome(int OperationId, bool InStock = true, IReadOnlyDictionary<string, int>? Receipt = null);

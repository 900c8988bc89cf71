using System.Diagnostics;
using System.Text;
using FunctionsBench.ShoppingCart;
using FunctionsBench.ShoppingCart.StateFun;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>
/// The bench's stand-in for the StateFun runtime, for the shopping cart: many addresses in flight at once, one
/// message at a time per address.
/// </summary>
/// <remarks>
/// <para>
/// Each user loop sends its operations in order, the next once everything the previous one caused has been applied;
/// all loops run at once. Every address has a mailbox: a message to an address that is busy with another waits for
/// it, in arrival order, as StateFun's runtime delivers messages to one address one at a time. Each delivery is one
/// request-reply call with the address's state attached; the reply's state mutations are applied, its outgoing
/// messages queued at their targets with the sender as caller (cart to stock <c>RequestItem</c>, stock to cart
/// <c>ItemAvailability</c>, cart to stock <c>RestockItem</c> returns), and its egress records collected.
/// </para>
/// <para>
/// <b>Attribution.</b> The runtime delivers one message per request, so everything a reply sends was caused by the
/// message just delivered; the driver tags each message it routes with the operation whose ingress message started
/// the chain. A stock's <c>ItemAvailability</c> is thereby the answer to the AddToCart it carries the tag of (its
/// status is the operation's outcome), and a receipt the one of the Checkout whose delivery emitted it, with no field
/// added to the playground's messages. An operation ends when no message it caused is waiting or in flight.
/// </para>
/// <para>
/// The state is <see cref="StateFunRuntimeState"/> (registered states per function type, values per address), as the
/// greeter's driver keeps it; <see cref="InitialState"/> loads every item's initial stock, as a unit starts from a
/// stocked shop, and <see cref="FinalState"/> reads the shop back from it.
/// </para>
/// </remarks>
/// <param name="httpClient">
/// The client for every request. Messages to different addresses are in flight at once (one per user loop, more
/// while a ClearCart returns several items), so its handler opens connections as they are needed; cap them with
/// <see cref="SocketsHttpHandler.MaxConnectionsPerServer"/> to hold a unit to as many connections as users.
/// </param>
/// <param name="timeProvider">The clock for timestamps and latencies; <see cref="TimeProvider.System"/> when null.</param>
public sealed partial class StateFunCartDriver(HttpClient httpClient, TimeProvider? timeProvider = null)
{
    // A function that keeps messaging would otherwise never end its operation.
    private const int MaxDeliveriesPerOperation = 100_000;
    private const int MaxHandshakesPerDelivery = 4;
    private const string FunctionNamePlaceholder = "{function.name}";

    private static readonly string CartKey = ShoppingCartFunctions.CartFunction.FullName;
    private static readonly string StockKey = ShoppingCartFunctions.StockFunction.FullName;

    private readonly HttpClient httpClient = httpClient ?? throw new ArgumentNullException(nameof(httpClient));
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    /// <summary>The state a unit starts from: no state registered, every item's <c>stock</c> at the initial stock, nothing applied.</summary>
    public static StateFunRuntimeState InitialState(CartWorkloadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var state = new StateFunRuntimeState();
        var stock = ShoppingCartFunctions.StockState.Type.Serialize(options.InitialStock).ToArray();
        foreach (var item in options.ItemKeys)
        {
            state.Values[AddressKey(StockKey, item)] = new Dictionary<string, byte[]>(StringComparer.Ordinal)
            {
                [ShoppingCartFunctions.StockState.Name] = stock.ToArray(),
            };
        }

        return state;
    }

    /// <summary>
    /// A body the size of the cart driver's typical request, for the HTTP floor: the <c>ToFunction</c> that delivers an
    /// <c>AddToCart</c> to <c>com.example/user-shopping-cart/u0</c> with its states attached (a basket of two lines and a count).
    /// </summary>
    public static byte[] FloorBody()
    {
        var basket = ShoppingCartFunctions.BasketType.Serialize(new Basket(new Dictionary<string, int>(StringComparer.Ordinal) { ["i1"] = 2, ["i17"] = 1 })).ToArray();
        var applied = ShoppingCartFunctions.AppliedState.Type.Serialize(12).ToArray();
        ToFunctionWriter.State[] states =
        [
            new(Encoding.UTF8.GetBytes(ShoppingCartFunctions.BasketState.Name), Encoding.UTF8.GetBytes(ShoppingCartFunctions.BasketState.TypeName.FullName), basket),
            new(Encoding.UTF8.GetBytes(ShoppingCartFunctions.AppliedState.Name), Encoding.UTF8.GetBytes(ShoppingCartFunctions.AppliedState.TypeName.FullName), applied),
        ];
        var target = ToFunctionWriter.EncodeAddress(ShoppingCartFunctions.CartFunction.Namespace, ShoppingCartFunctions.CartFunction.Name, CartWorkloadOptions.UserKey(0));
        var argument = ToFunctionWriter.EncodeTypedValue(
            Encoding.UTF8.GetBytes(ShoppingCartFunctions.AddToCartType.TypeName.FullName), hasValue: true,
            ShoppingCartFunctions.AddToCartType.Serialize(new AddToCart(CartWorkloadOptions.UserKey(0), CartWorkloadOptions.ItemKey(17), 2)).Span);
        return ToFunctionWriter.Encode(target, [], argument, states);
    }

    /// <summary>The shop as the runtime state holds it: every stock and basket, and every address's count of applied operations.</summary>
    /// <exception cref="StateFunDriverException">A state value cannot be read as the function declares it.</exception>
    public static CartFinalState FinalState(StateFunRuntimeState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var stock = new Dictionary<string, int>(StringComparer.Ordinal);
        var stockApplied = new Dictionary<string, int>(StringComparer.Ordinal);
        var baskets = new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        var cartApplied = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (address, values) in state.Values)
        {
            if (IdOf(address, StockKey) is { } item)
            {
                stock[item] = Read(values, ShoppingCartFunctions.StockState, address) ?? 0;
                stockApplied[item] = Read(values, ShoppingCartFunctions.AppliedState, address) ?? 0;
            }
            else if (IdOf(address, CartKey) is { } user)
            {
                var basket = values.TryGetValue(ShoppingCartFunctions.BasketState.Name, out var bytes) ? Decode(ShoppingCartFunctions.BasketState, bytes, address).Items : [];
                baskets[user] = new Dictionary<string, int>(basket, StringComparer.Ordinal);
                cartApplied[user] = Read(values, ShoppingCartFunctions.AppliedState, address) ?? 0;
            }
        }

        return new CartFinalState(stock, baskets, cartApplied, stockApplied);
    }

    /// <summary>Runs the request's operations with every user loop in flight at once.</summary>
    /// <returns>Each operation's timing and outcome, and the runtime state after them.</returns>
    /// <exception cref="StateFunDriverException">A function replied with something a StateFun runtime would reject.</exception>
    /// <exception cref="HttpRequestException">The endpoint could not be reached.</exception>
    public async Task<StateFunCartResult> RunAsync(StateFunCartRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Endpoint);
        ArgumentNullException.ThrowIfNull(request.Options);
        ArgumentNullException.ThrowIfNull(request.Operations);
        request.Options.Validate();

        var run = new Run(this, request, (request.State ?? InitialState(request.Options)).Clone());
        return await run.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string AddressKey(string functionKey, string id) => string.Concat(functionKey, "/", id);

    private static string? IdOf(string addressKey, string functionKey) =>
        addressKey.Length > functionKey.Length + 1 && addressKey.StartsWith(functionKey, StringComparison.Ordinal) && addressKey[functionKey.Length] == '/'
            ? addressKey[(functionKey.Length + 1)..]
            : null;

    private static int? Read(Dictionary<string, byte[]> values, ValueSpec<int> spec, string address) =>
        values.TryGetValue(spec.Name, out var bytes) ? Decode(spec, bytes, address) : null;

    private static T Decode<T>(ValueSpec<T> spec, byte[] bytes, string address)
    {
        try
        {
            return spec.Type.Deserialize(bytes);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new StateFunDriverException($"{address} holds a '{spec.Name}' that is not a {spec.TypeName}: {e.Message}");
        }
    }
}

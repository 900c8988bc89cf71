using FunctionsBench.BenchOrchestrator.Report.Svg;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// <c>cart-df</c>: the shopping cart on Durable Functions (ShoppingCart/README.md). <c>users</c> loops in flight, each
/// applying its own user's operations to a <c>CartEntity</c> per user and a <c>StockEntity</c> per item through entity
/// calls; the invariants checked after the unit. Steps per operation depend on the mix (AddToCart 4, Checkout and
/// RestockItem 2, ClearCart 2 or 4): 4 here, the unit's own mean in its result (<c>cart.stepsPerOperation</c>).
/// </summary>
public static class CartDfScenario
{
    /// <summary>The name in requests and results.</summary>
    public const string Name = "cart-df";

    /// <summary>
    /// A cart unit is one segment (its loops chain their own chunk orchestrations of <c>checkpointEvery</c> operations):
    /// the largest N a request may ask for.
    /// </summary>
    public const int WholeUnit = 100_000;

    /// <summary>The scenario's facts.</summary>
    public static Scenario Descriptor { get; } = new(
        Name, Callee: "CartEntity", EventsPerInvocation: 7, FloorKind.Storage, StepsPerInvocation: 4,
        "users loops apply the shopping cart's operations to a CartEntity per user and a StockEntity per item (AddToCart: the stock's Reserve, then the cart's Add); the invariants checked after the unit")
    {
        HasUsers = true,
        SegmentSize = WholeUnit,
        Style = new SeriesStyle("#e7298a", Marker.Square),
    };
}

using FunctionsBench.BenchOrchestrator.Report.Svg;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// <c>cart-statefun</c>: the shopping cart on StateFun (ShoppingCart/README.md). The driver activity plays the StateFun
/// runtime for <c>users</c> loops in flight against <c>com.example/user-shopping-cart</c> and <c>com.example/stock</c>,
/// one message at a time per address; the invariants checked after the unit. HTTP requests per operation depend on the
/// mix (AddToCart 3, ClearCart 1 plus one per line returned, Checkout and RestockItem 1): 3 here, the unit's own mean in
/// its result (<c>cart.stepsPerOperation</c>). It writes no History.
/// </summary>
public static class CartStateFunScenario
{
    /// <summary>The name in requests and results.</summary>
    public const string Name = "cart-statefun";

    /// <summary>Operations per call of the driver activity (its loops meet at the end of each call).</summary>
    public const int SegmentOperations = 5000;

    /// <summary>The scenario's facts.</summary>
    public static Scenario Descriptor { get; } = new(
        Name, Callee: "StateFunCart", EventsPerInvocation: 1, FloorKind.Http, StepsPerInvocation: 3,
        "the bench plays the StateFun runtime for users loops of the shopping cart: AddToCart to com.example/user-shopping-cart, its RequestItem to com.example/stock and the ItemAvailability back, receipts from the egress; the invariants checked after the unit")
    {
        IsDurable = false,
        HasUsers = true,
        SegmentSize = SegmentOperations,
        Style = new SeriesStyle("#66a61e", Marker.Triangle),
    };
}

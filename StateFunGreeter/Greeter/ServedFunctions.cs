using FunctionsBench.ShoppingCart.StateFun;

namespace FunctionsBench.StateFun;

/// <summary>
/// Every StateFun function this repository serves from one endpoint: the greeter (<c>greeter.fns/*</c>) and the
/// shopping cart (<c>com.example/*</c>). The standalone server (<c>./bench statefun</c>) and the Functions app's
/// <c>POST /api/statefun/{*path}</c> both serve this set.
/// </summary>
public static class ServedFunctions
{
    /// <summary>A handler serving the greeter and the shopping cart.</summary>
    /// <param name="timeProvider">The greeter's clock for login times; <see cref="TimeProvider.System"/> when null.</param>
    public static RequestReplyHandler CreateHandler(TimeProvider? timeProvider = null) =>
        new(new StatefulFunctions().AddGreeter(timeProvider).AddShoppingCart());
}

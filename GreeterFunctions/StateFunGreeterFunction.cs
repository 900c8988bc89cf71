using FunctionsBench.StateFun;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsBench.GreeterFunctions;

/// <summary>
/// The StateFun greeter (<c>greeter.fns/user</c>, <c>greeter.fns/greetings</c>) and the shopping cart
/// (<c>com.example/user-shopping-cart</c>, <c>com.example/stock</c>) served as an HTTP function (<see cref="ServedFunctions"/>):
/// a StateFun cluster's module.yaml can point its endpoint here (<c>/api/statefun/{function.name}</c>).
/// </summary>
public sealed class StateFunGreeterFunction(RequestReplyHandler handler)
{
    /// <summary>The route below the Functions route prefix; <c>{*path}</c> is the function type's name.</summary>
    public const string Route = "statefun/{*path}";

    /// <summary><c>POST /api/statefun/{*path}</c>: ToFunction in, FromFunction out.</summary>
    [Function("StateFunGreeter")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", "get", "put", "delete", Route = Route)] HttpRequest request)
    {
        // Every method is routed here so the endpoint, not the router, answers 405 as the StateFun SDKs do.
        await StateFunHttpEndpoint.HandleAsync(request.HttpContext, handler);
        return new EmptyResult();
    }
}

using FunctionsBench.GreeterFunctions;

namespace FunctionsBench.Http;

/// <summary>
/// The routes of the app's HTTP API, below the Functions route prefix: the one list that the Functions triggers and the
/// embedded host's web server both use.
/// </summary>
public static class BenchRoutes
{
    /// <summary>The route prefix (host.json <c>extensions.http.routePrefix</c>).</summary>
    public const string Prefix = "api";

    /// <summary><c>POST</c>: start a run.</summary>
    public const string Bench = "bench";

    /// <summary><c>GET</c>: a run's results document.</summary>
    public const string Results = "bench/{id}";

    /// <summary><c>GET</c>: a run's per-event records.</summary>
    public const string Events = "bench/{id}/events";

    /// <summary><c>GET</c>: a run's HTML report.</summary>
    public const string Report = "bench/{id}/report";

    /// <summary><c>POST</c>: one greeter orchestration.</summary>
    public const string Greeter = "greeter/{name}";

    /// <summary><c>POST</c>: the HTTP floor's no-op.</summary>
    public const string Noop = "noop";

    /// <summary>Any method: the StateFun greeter's request-reply endpoint.</summary>
    public const string StateFun = StateFunGreeterFunction.Route;

    /// <summary>The absolute path of <paramref name="route"/>, e.g. <c>/api/bench/{id}</c>.</summary>
    public static string Path(string route) => $"/{Prefix}/{route}";
}

namespace FunctionsBench.BenchOrchestrator.Thesis;

/// <summary>
/// What the Functions host's HTTP path costs a StateFun remote function served as a Function, which the embedded host
/// leaves out. Measured in this project under azure-functions-host release/4.x 4.1037 built from its public source,
/// the app's bin/output as func start builds it, Azurite on loopback, one run after the other with the embedded host on
/// the same 2-core machine (December 2026); docs/floors.md gives the commands' context.
/// </summary>
public static class FunctionsHostHop
{
    /// <summary>The Functions host version the figures were measured under.</summary>
    public const string HostVersion = "4.1037";

    /// <summary>The HTTP floor (sequential no-op POSTs) under the Functions host, requests/s.</summary>
    public const double FunctionsHostNoopPerSecond = 818;

    /// <summary>The same floor on the embedded host in the same session, requests/s.</summary>
    public const double EmbeddedNoopPerSecond = 17_893;

    /// <summary>The StateFun greeter served as a Function, logins/s under the Functions host.</summary>
    public const double FunctionsHostLoginsPerSecond = 544;

    /// <summary>The same greeter on the embedded host in the same session, logins/s.</summary>
    public const double EmbeddedLoginsPerSecond = 5_464;

    /// <summary>One sentence for the report beside the embedded host's StateFun figures.</summary>
    public static string Statement =>
        FormattableString.Invariant($"Under the Functions host ({HostVersion}, measured in this project on the same machine as the embedded host, one run after the other) the HTTP path costs about 1 ms per request: ") +
        FormattableString.Invariant($"the no-op floor was {FunctionsHostNoopPerSecond:N0} requests/s against {EmbeddedNoopPerSecond:N0} on the embedded host, and the greeter served as a Function made ") +
        FormattableString.Invariant($"{FunctionsHostLoginsPerSecond:N0} logins/s against {EmbeddedLoginsPerSecond:N0}. ") + "The embedded host leaves that hop out, so its StateFun figures are not what a " +
        "StateFun remote function deployed as an Azure Function delivers.";
}

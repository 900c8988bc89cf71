using FunctionsBench.BenchOrchestrator.Report.Svg;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// <c>statefun</c>: the bench plays the StateFun runtime against the StateFun greeter's user and greetings functions. Two
/// HTTP requests per invocation (the <c>UserLogin</c> to the user function and the <c>UserProfile</c> to the greetings
/// function; the first login's two state handshakes are not counted). It writes no History.
/// </summary>
public static class StateFunScenario
{
    /// <summary>The name in requests and results.</summary>
    public const string Name = "statefun";

    /// <summary>The scenario's facts.</summary>
    public static Scenario Descriptor { get; } = new(
        Name, Callee: "StateFunLogins", EventsPerInvocation: 1, FloorKind.Http, StepsPerInvocation: 2,
        "the bench plays the StateFun runtime: UserLogin to greeter.fns/user, its UserProfile to greeter.fns/greetings, the egress greeting checked")
    {
        IsDurable = false,
        SegmentSize = BenchPlan.StateFunSegmentLogins,
        Style = new SeriesStyle("#1f78b4", Marker.Triangle),

        // 100 warm-up invocations give 2000 logins: a unit of 1000 lasts about 0.1 s, so it would otherwise time .NET
        // compiling the driver and the greeter for the first time.
        WarmupScale = 20,
    };
}

namespace FunctionsBench.BenchOrchestrator;

/// <summary>The benchmark's scenarios and what one invocation of each costs in events (the thesis' formula 4.1).</summary>
public static class Scenarios
{
    /// <summary>The control orchestration calls the <c>SayHello</c> activity (the thesis' Durable Functions test case).</summary>
    public const string DfActivity = "df-activity";

    /// <summary>The control orchestration calls the greeter orchestration, which calls <c>SayHello</c>.</summary>
    public const string DfSubOrchestration = "df-suborchestration";

    /// <summary>The control orchestration calls the greeter entity that keeps the user's seen-count.</summary>
    public const string DfEntity = "df-entity";

    /// <summary>The bench plays the StateFun runtime against the StateFun greeter's user and greetings functions.</summary>
    public const string StateFun = "statefun";

    /// <summary>The activity df-activity and the greeter orchestration call (the greeter's <c>SayHello</c>).</summary>
    public const string ActivityName = "SayHello";

    /// <summary>Every scenario, in the order a run takes them.</summary>
    public static IReadOnlyList<string> All { get; } = [DfActivity, DfSubOrchestration, DfEntity, StateFun];

    /// <summary>Whether <paramref name="name"/> is a scenario.</summary>
    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);

    /// <summary>
    /// Events per invocation: History rows of one loop iteration for the Durable Functions scenarios (measured in the
    /// task hub's History table), one message for StateFun (as the thesis counts it).
    /// </summary>
    public static int EventsPerInvocation(string scenario) => scenario switch
    {
        DfActivity => 4,
        DfSubOrchestration => 12,
        DfEntity => 4,
        StateFun => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "Unknown scenario."),
    };
}

/// <summary>How the control orchestration keeps its history.</summary>
public static class BenchModes
{
    /// <summary>One orchestration history per (scenario, N, repetition) that grows with N, as the thesis ran it.</summary>
    public const string Single = "single";

    /// <summary>ContinueAsNew every <c>checkpointEvery</c> invocations so the history stays bounded.</summary>
    public const string Checkpointed = "checkpointed";

    /// <summary>Both modes.</summary>
    public static IReadOnlyList<string> All { get; } = [Single, Checkpointed];
}

namespace FunctionsBench.BenchOrchestrator;

/// <summary>How one invocation of a scenario is made.</summary>
public enum InvocationKind
{
    /// <summary>The orchestration calls an activity.</summary>
    Activity,

    /// <summary>The orchestration calls an orchestration, which calls an activity.</summary>
    SubOrchestration,

    /// <summary>The orchestration calls an entity operation.</summary>
    Entity,

    /// <summary>A driver activity plays the StateFun runtime against a remote function over HTTP.</summary>
    StateFunDriver,

    /// <summary>
    /// The shopping cart on Durable Functions: <c>users</c> loops in flight, each applying its user's operations to the
    /// cart and stock entities; the unit checks the cart invariants at its end.
    /// </summary>
    CartEntities,
}

/// <summary>The floor a scenario's efficiency is measured against.</summary>
public enum FloorKind
{
    /// <summary>The storage floor: sequential steps of the Azure Storage provider's minimal operations.</summary>
    Storage,

    /// <summary>The HTTP floor: sequential StateFun-sized POSTs to a no-op endpoint.</summary>
    Http,
}

/// <summary>
/// One benchmark scenario: everything the run, the results and the analysis need to know about it. Adding a scenario is
/// adding one of these (and, for a new <see cref="InvocationKind"/>, how the orchestration makes that call).
/// </summary>
/// <param name="Name">The name in requests and results.</param>
/// <param name="Invocation">How one invocation is made.</param>
/// <param name="Callee">The durable function one invocation calls (the activity, orchestration or entity); the driver's activity for StateFun.</param>
/// <param name="EventsPerInvocation">
/// Events per invocation for formula 4.1: History rows of one loop iteration for the Durable Functions scenarios
/// (measured in the task hub's History table, and checked there by every <c>./bench run</c>), one message for StateFun
/// (as the thesis counts it).
/// </param>
/// <param name="Floor">The floor its efficiency is measured against.</param>
/// <param name="StepsPerInvocation">Floor steps one invocation needs at minimum (see <see cref="Floors.FloorEfficiency"/>).</param>
/// <param name="Summary">One line on what one invocation is.</param>
public sealed record Scenario(string Name, InvocationKind Invocation, string Callee, int EventsPerInvocation, FloorKind Floor, int StepsPerInvocation, string Summary)
{
    /// <summary>Warm-up invocations per <c>warmup</c> of the request (a StateFun login costs a fraction of a Durable Functions invocation).</summary>
    public int WarmupScale { get; init; } = 1;

    /// <summary>Whether it runs on Durable Functions (and so leaves History rows).</summary>
    public bool IsDurable => this.Invocation != InvocationKind.StateFunDriver;

    /// <summary>Whether its units run at each value of the request's <c>users</c> (the cart scenarios).</summary>
    public bool HasUsers => this.Invocation == InvocationKind.CartEntities;

    /// <summary>Whether the History cross-check matches its invocations one by one (the greeter's Durable Functions scenarios).</summary>
    public bool MatchesHistory => this.IsDurable && this.Invocation != InvocationKind.CartEntities;
}

/// <summary>The benchmark's scenarios.</summary>
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

    /// <summary>The shopping cart on Durable Functions: a cart entity per user and a stock entity per item.</summary>
    public const string CartDf = "cart-df";

    /// <summary>The activity df-activity and the greeter orchestration call (the greeter's <c>SayHello</c>).</summary>
    public const string ActivityName = "SayHello";

    /// <summary>The orchestration df-suborchestration calls.</summary>
    public const string GreeterOrchestrationName = "GreeterOrchestration";

    /// <summary>The entity df-entity calls.</summary>
    public const string GreeterEntityName = "GreeterEntity";

    /// <summary>The StateFun driver activity.</summary>
    public const string StateFunDriverName = "StateFunLogins";

    /// <summary>Every scenario, in the order a run takes them.</summary>
    /// <remarks>
    /// Steps: df-activity 1 (the orchestrator schedules the activity, the activity answers on the control queue);
    /// df-suborchestration 3 (the caller starts the greeter orchestration, the greeter calls its activity, the greeter's
    /// completion wakes the caller); df-entity 2 (the call to the entity and the entity's reply, each a control-queue
    /// message processed by a work item); statefun 2 HTTP requests (the <c>UserLogin</c> to the user function and the
    /// <c>UserProfile</c> to the greetings function; the first login's two state handshakes are not counted).
    /// </remarks>
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new(DfActivity, InvocationKind.Activity, ActivityName, 4, FloorKind.Storage, 1,
            "the control orchestration calls SayHello: OrchestratorStarted, TaskScheduled, OrchestratorCompleted, TaskCompleted (the thesis' Figure 4.4)"),
        new(DfSubOrchestration, InvocationKind.SubOrchestration, GreeterOrchestrationName, 12, FloorKind.Storage, 3,
            "calls GreeterOrchestration, which calls SayHello: 4 History rows in the caller and 8 in the greeter orchestration"),
        new(DfEntity, InvocationKind.Entity, GreeterEntityName, 4, FloorKind.Storage, 2,
            "calls GreeterEntity.Login, which keeps the user's seen-count: 4 rows in the caller (an entity's history is rewritten per batch)"),
        new(StateFun, InvocationKind.StateFunDriver, StateFunDriverName, 1, FloorKind.Http, 2,
            "the bench plays the StateFun runtime: UserLogin to greeter.fns/user, its UserProfile to greeter.fns/greetings, the egress greeting checked")
        {
            // 100 warm-up invocations give 2000 logins: a unit of 1000 lasts about 0.1 s, so it would otherwise time .NET
            // compiling the driver and the greeter for the first time.
            WarmupScale = 20,
        },
        new(CartDf, InvocationKind.CartEntities, "CartEntity", 7, FloorKind.Storage, 4,
            "users loops apply the shopping cart's operations to a CartEntity per user and a StockEntity per item (AddToCart: the stock's Reserve, then the cart's Add); the invariants checked after the unit"),
    ];

    /// <summary>The scenarios a request without <c>scenarios</c> runs: the greeter's four.</summary>
    public static IReadOnlyList<string> Defaults { get; } = [DfActivity, DfSubOrchestration, DfEntity, StateFun];

    /// <summary>The names of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(s => s.Name)];

    /// <summary>Whether <paramref name="name"/> is a scenario.</summary>
    public static bool IsKnown(string name) => All.Any(s => s.Name == name);

    /// <summary>The scenario named <paramref name="name"/>.</summary>
    public static Scenario Get(string name)
        => All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentOutOfRangeException(nameof(name), name, $"Unknown scenario; the scenarios are {string.Join(", ", Names)}.");
}

/// <summary>How the control orchestration keeps its history.</summary>
public static class BenchModes
{
    /// <summary>One orchestration history per (scenario, N, repetition) that grows with N, as the thesis ran it.</summary>
    public const string Single = "single";

    /// <summary>A fresh orchestration every <c>checkpointEvery</c> invocations, so each history stays bounded.</summary>
    public const string Checkpointed = "checkpointed";

    /// <summary>Both modes.</summary>
    public static IReadOnlyList<string> All { get; } = [Single, Checkpointed];
}

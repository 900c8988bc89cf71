namespace FunctionsBench.BenchOrchestrator.Floors;

/// <summary>
/// How close a scenario comes to its floor: <c>invocationsPerSecond x stepsPerInvocation / floor rate</c>, where the
/// floor rate is the storage floor's steps per second for the Durable Functions scenarios and the HTTP floor's requests
/// per second for <c>statefun</c>. 1 means the scenario costs nothing beyond the floor's operations.
/// </summary>
public static class FloorEfficiency
{
    /// <summary>
    /// Floor steps one invocation needs at minimum: storage-floor steps (a control-queue work item plus its counterpart)
    /// for the Durable Functions scenarios, HTTP requests for <c>statefun</c>.
    /// </summary>
    /// <remarks>
    /// <c>df-activity</c> 1: the orchestrator schedules the activity, the activity answers on the control queue.
    /// <c>df-suborchestration</c> 3: the caller starts the greeter orchestration, the greeter calls its activity, the
    /// greeter's completion wakes the caller. <c>df-entity</c> 2: the call to the entity and the entity's reply, each a
    /// control-queue message processed by a work item. <c>statefun</c> 2: the <c>UserLogin</c> to the user function and
    /// the <c>UserProfile</c> to the greetings function (the first login's two state handshakes are not counted).
    /// </remarks>
    public static int StepsPerInvocation(string scenario) => scenario switch
    {
        Scenarios.DfActivity => 1,
        Scenarios.DfSubOrchestration => 3,
        Scenarios.DfEntity => 2,
        Scenarios.StateFun => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "Unknown scenario."),
    };

    /// <summary>The floor rate a scenario is compared with: storage steps/s, or HTTP requests/s for <c>statefun</c>; null when not measured.</summary>
    public static double? FloorRate(string scenario, BenchFloors? floors)
        => scenario == Scenarios.StateFun ? floors?.Http?.RequestsPerSecond : floors?.Storage?.StepsPerSecond;

    /// <summary>The efficiency of a scenario that ran at <paramref name="invocationsPerSecond"/>; null when its floor was not measured.</summary>
    public static double? Of(string scenario, double invocationsPerSecond, BenchFloors? floors)
        => FloorRate(scenario, floors) is double rate && rate > 0 && double.IsFinite(rate) && double.IsFinite(invocationsPerSecond)
            ? invocationsPerSecond * StepsPerInvocation(scenario) / rate
            : null;
}

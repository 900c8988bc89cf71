namespace FunctionsBench.BenchOrchestrator.Floors;

/// <summary>
/// How close a scenario comes to its floor: <c>invocationsPerSecond x stepsPerInvocation / floor rate</c>, where the
/// floor rate is the storage floor's steps per second for the Durable Functions scenarios and the HTTP floor's requests
/// per second for <c>statefun</c> (<see cref="Scenario.Floor"/>, <see cref="Scenario.StepsPerInvocation"/>). 1 means
/// the scenario costs nothing beyond the floor's operations.
/// </summary>
public static class FloorEfficiency
{
    /// <summary>The rate <paramref name="scenario"/> is compared with; null when that floor was not measured.</summary>
    public static double? FloorRate(Scenario scenario, BenchFloors? floors)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario.Floor == FloorKind.Http ? floors?.Http?.RequestsPerSecond : floors?.Storage?.StepsPerSecond;
    }

    /// <summary>The efficiency of <paramref name="scenario"/> at <paramref name="invocationsPerSecond"/> against <paramref name="floorRate"/>; null without a floor.</summary>
    public static double? Of(Scenario scenario, double invocationsPerSecond, double? floorRate)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return floorRate is double rate && rate > 0 && double.IsFinite(rate) && double.IsFinite(invocationsPerSecond)
            ? invocationsPerSecond * scenario.StepsPerInvocation / rate
            : null;
    }
}

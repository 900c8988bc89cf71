using FunctionsBench.GreeterFunctions;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// <c>df-suborchestration</c>'s durable part: one call of <see cref="GreeterOrchestration"/> under an instance id that
/// names the invocation (<see cref="InstanceIds.SubOrchestration"/>, which the History rule reads), its greeting checked.
/// </summary>
public sealed class DfSubOrchestrationInvocation : ScenarioInvocation
{
    /// <inheritdoc/>
    public override Scenario Scenario => DfSubOrchestrationScenario.Descriptor;

    /// <inheritdoc/>
    public override string Callee => nameof(GreeterOrchestration);

    /// <inheritdoc/>
    public override async Task<TimingRecord> InvokeAsync(UnitScope unit, int sequence)
    {
        ArgumentNullException.ThrowIfNull(unit);
        TaskOrchestrationContext context = unit.Context;
        DateTime start = context.CurrentUtcDateTime;
        string name = unit.Run.Settings.UserName;
        var options = new SubOrchestrationOptions { InstanceId = InstanceIds.SubOrchestration(unit.Run.RunId, unit.Unit, sequence) };
        ExpectAnswer(await context.CallSubOrchestratorAsync<string>(nameof(GreeterOrchestration), name, options), SayHello.Greeting(name), sequence);
        return new TimingRecord(sequence, start, context.CurrentUtcDateTime);
    }
}

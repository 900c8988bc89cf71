using FunctionsBench.GreeterFunctions;

namespace FunctionsBench.BenchOrchestrator;

/// <summary><c>df-activity</c>'s durable part: one call of <see cref="SayHello"/>, its greeting checked.</summary>
public sealed class DfActivityInvocation : ScenarioInvocation
{
    /// <inheritdoc/>
    public override Scenario Scenario => DfActivityScenario.Descriptor;

    /// <inheritdoc/>
    public override string Callee => nameof(SayHello);

    /// <inheritdoc/>
    public override async Task<TimingRecord> InvokeAsync(UnitScope unit, int sequence)
    {
        ArgumentNullException.ThrowIfNull(unit);
        TaskOrchestrationContext context = unit.Context;
        DateTime start = context.CurrentUtcDateTime;
        string name = unit.Run.Settings.UserName;
        ExpectAnswer(await context.CallActivityAsync<string>(nameof(SayHello), name), SayHello.Greeting(name), sequence);
        return new TimingRecord(sequence, start, context.CurrentUtcDateTime);
    }
}

using FunctionsBench.GreeterFunctions;
using Microsoft.DurableTask.Entities;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// <c>df-entity</c>'s durable part: one <see cref="GreeterEntity.Login"/> on the unit's own greeter entity, its
/// seen-count checked; at the end, the entity must have counted exactly N logins.
/// </summary>
public sealed class DfEntityInvocation : ScenarioInvocation
{
    /// <inheritdoc/>
    public override Scenario Scenario => DfEntityScenario.Descriptor;

    /// <inheritdoc/>
    public override string Callee => nameof(GreeterEntity);

    /// <summary>The greeter entity a df-entity unit logs its user in to.</summary>
    public static EntityInstanceId GreeterId(BenchRun run, BenchUnit unit)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(nameof(GreeterEntity), InstanceIds.GreeterKey(run.Settings.UserId, run.RunId, unit));
    }

    /// <inheritdoc/>
    public override async Task<TimingRecord> InvokeAsync(UnitScope unit, int sequence)
    {
        ArgumentNullException.ThrowIfNull(unit);
        (TaskOrchestrationContext context, BenchRun run, BenchUnit benchUnit) = (unit.Context, unit.Run, unit.Unit);
        DateTime start = context.CurrentUtcDateTime;
        LoginReply reply = await context.Entities.CallEntityAsync<LoginReply>(
            GreeterId(run, benchUnit), nameof(GreeterEntity.Login), new LoginRequest(run.Settings.UserName, start, sequence, run.Settings.Parallelism));
        bool inOrder = run.Settings.Parallelism == 1;
        if (inOrder ? reply.SeenCount != sequence + 1 : reply.SeenCount < 1 || reply.SeenCount > benchUnit.Invocations)
        {
            throw new InvalidOperationException($"Login {sequence} got seen-count {reply.SeenCount} from the greeter entity.");
        }

        return new TimingRecord(sequence, start, context.CurrentUtcDateTime);
    }

    /// <summary>The greeter entity saw exactly N logins.</summary>
    public override async Task<IReadOnlyList<InvariantResult>> VerifyAsync(UnitScope unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        GreeterState final = await unit.Context.Entities.CallEntityAsync<GreeterState>(GreeterId(unit.Run, unit.Unit), nameof(GreeterEntity.Get));
        return
        [
            new InvariantResult(
                "logins counted", final.SeenCount == unit.Unit.Invocations,
                $"The greeter entity counted {final.SeenCount} logins; {unit.Unit.Invocations} were made."),
        ];
    }
}

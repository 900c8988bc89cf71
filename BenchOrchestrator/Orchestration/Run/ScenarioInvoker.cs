using FunctionsBench.GreeterFunctions;
using Microsoft.DurableTask.Entities;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>Makes one invocation of a Durable Functions unit and checks its answer, so a wrong or lost result fails the run loudly.</summary>
internal sealed class ScenarioInvoker(TaskOrchestrationContext context, BenchRun run, BenchUnit unit)
{
    private readonly Scenario scenario = Scenarios.Get(unit.Scenario);

    /// <summary>The greeter entity a df-entity unit logs its user in to.</summary>
    public static EntityInstanceId GreeterId(BenchRun run, BenchUnit unit)
        => new(nameof(GreeterEntity), InstanceIds.GreeterKey(run.Settings.UserId, run.RunId, unit));

    /// <summary>Invocation <paramref name="sequence"/>: the call, timed from before it to after its answer.</summary>
    public async Task<TimingRecord> InvokeAsync(int sequence)
    {
        DateTime start = context.CurrentUtcDateTime;
        string name = run.Settings.UserName;
        switch (this.scenario.Invocation)
        {
            case InvocationKind.Activity:
                Expect(await context.CallActivityAsync<string>(nameof(SayHello), name), SayHello.Greeting(name), sequence);
                break;
            case InvocationKind.SubOrchestration:
                var options = new SubOrchestrationOptions { InstanceId = InstanceIds.SubOrchestration(run.RunId, unit, sequence) };
                Expect(await context.CallSubOrchestratorAsync<string>(nameof(GreeterOrchestration), name, options), SayHello.Greeting(name), sequence);
                break;
            case InvocationKind.Entity:
                LoginReply reply = await context.Entities.CallEntityAsync<LoginReply>(
                    GreeterId(run, unit), nameof(GreeterEntity.Login), new LoginRequest(name, start, sequence, run.Settings.Parallelism));
                bool inOrder = run.Settings.Parallelism == 1;
                if (inOrder ? reply.SeenCount != sequence + 1 : reply.SeenCount < 1 || reply.SeenCount > unit.Invocations)
                {
                    throw new InvalidOperationException($"Login {sequence} got seen-count {reply.SeenCount} from the greeter entity.");
                }

                break;
            default:
                throw new InvalidOperationException($"Scenario '{unit.Scenario}' is not a Durable Functions scenario.");
        }

        return new TimingRecord(sequence, start, context.CurrentUtcDateTime);
    }

    private static void Expect(string actual, string expected, int sequence)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"Invocation {sequence} returned \"{actual}\"; expected \"{expected}\".");
        }
    }
}

namespace FunctionsBench.GreeterFunctions;

/// <summary>The greeter orchestration: calls <see cref="SayHello"/> with the user's name and returns the greeting.</summary>
public sealed class GreeterOrchestration : TaskOrchestrator<string, string>
{
    /// <summary>Functions trigger.</summary>
    [Function(nameof(GreeterOrchestration))]
    public static Task<string> Run([OrchestrationTrigger] TaskOrchestrationContext context)
        => new GreeterOrchestration().RunAsync(context, context.GetInput<string>() ?? string.Empty);

    /// <inheritdoc/>
    public override Task<string> RunAsync(TaskOrchestrationContext context, string name)
        => context.CallActivityAsync<string>(nameof(SayHello), name);
}

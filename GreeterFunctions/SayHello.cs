namespace FunctionsBench.GreeterFunctions;

/// <summary>The greeter's activity: the unit of work of the thesis' Durable Functions test case.</summary>
public sealed class SayHello : TaskActivity<string, string>
{
    /// <summary>The greeting for <paramref name="name"/>.</summary>
    public static string Greeting(string name) => $"Hello {name}!";

    /// <summary>Functions trigger.</summary>
    [Function(nameof(SayHello))]
    public static string Run([ActivityTrigger] string name) => Greeting(name);

    /// <inheritdoc/>
    public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult(Greeting(input));
}

using FunctionsBench.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsBench.GreeterFunctions;

/// <summary>The greeter's activity: the unit of work of the thesis' Durable Functions test case.</summary>
public sealed class SayHello : DurableActivity<string, string>
{
    /// <summary>The greeting for <paramref name="name"/>.</summary>
    public static string Greeting(string name) => $"Hello {name}!";

    /// <summary>Functions trigger.</summary>
    [Function(nameof(SayHello))]
    public Task<string> Run([ActivityTrigger] string name, CancellationToken cancellationToken)
        => this.ExecuteAsync(name, cancellationToken);

    /// <inheritdoc/>
    public override Task<string> ExecuteAsync(string input, CancellationToken cancellationToken)
        => Task.FromResult(Greeting(input));
}

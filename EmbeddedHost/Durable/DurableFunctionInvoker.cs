using FunctionsBench.BenchOrchestrator.Cost;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc;
using Newtonsoft.Json.Linq;

namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// The worker half of the isolated-worker protocol, in process: what the .NET isolated worker does with the trigger
/// values the Durable Functions extension sends (an encoded orchestrator request, an encoded entity batch, an
/// activity's raw JSON input) and what it answers.
/// </summary>
/// <remarks>
/// Orchestrators and entities run through the SDK's <see cref="GrpcOrchestrationRunner"/> and
/// <see cref="GrpcEntityRunner"/>, with one <see cref="ExtendedSessionsCache"/> per host, as the worker keeps one;
/// activities are deserialized, run and serialized with the app's data converter. Durable function classes are created
/// per call with <see cref="ActivatorUtilities"/>, so they receive the app's services.
/// </remarks>
public sealed class DurableFunctionInvoker
{
    private readonly Dictionary<string, DurableFunctionEntry> functions;
    private readonly IServiceProvider services;
    private readonly DataConverter dataConverter;
    private readonly ExtendedSessionsCache sessions = new();
    private readonly TaskCompletionSource<string> clientInfo = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates an invoker of <paramref name="functions"/>.</summary>
    /// <param name="functions">The durable functions; names are case-insensitive, as Durable Functions treats them.</param>
    /// <param name="services">Creates the function classes and holds the SDK's shim factory.</param>
    /// <param name="dataConverter">Reads activity inputs and writes their outputs; the orchestrators' converter.</param>
    public DurableFunctionInvoker(IEnumerable<DurableFunctionEntry> functions, IServiceProvider services, DataConverter dataConverter)
    {
        ArgumentNullException.ThrowIfNull(functions);
        this.services = services ?? throw new ArgumentNullException(nameof(services));
        this.dataConverter = dataConverter ?? throw new ArgumentNullException(nameof(dataConverter));
        this.functions = new Dictionary<string, DurableFunctionEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (DurableFunctionEntry function in functions)
        {
            if (!this.functions.TryAdd(function.Name, function))
            {
                throw new InvalidOperationException($"Two durable functions are named '{function.Name}' (names are case-insensitive).");
            }
        }
    }

    /// <summary>Every orchestrator episode, activity execution and entity batch the extension dispatched here, timed.</summary>
    public ExecutionLog Executions { get; } = new();

    /// <summary>The client binding's payload, once the host has delivered it (see <see cref="ReceiveClientInfo"/>).</summary>
    public Task<string> ClientInfo => this.clientInfo.Task;

    /// <summary>Runs one orchestrator episode: an encoded <c>OrchestratorRequest</c> in, an encoded <c>OrchestratorResponse</c> out.</summary>
    public string RunOrchestrator(string name, string encodedRequest)
        => this.Executions.Time(
            FunctionExecutions.Orchestrator,
            () => GrpcOrchestrationRunner.LoadAndRun(encodedRequest, this.Create<ITaskOrchestrator>(name, DurableFunctionKind.Orchestrator), this.sessions, this.services));

    /// <summary>Runs one entity batch: an encoded <c>EntityBatchRequest</c> in, an encoded <c>EntityBatchResult</c> out.</summary>
    public Task<string> RunEntityAsync(string name, string encodedRequest)
        => this.Executions.TimeAsync(
            FunctionExecutions.Entity,
            () => GrpcEntityRunner.LoadAndRunAsync(encodedRequest, this.Create<ITaskEntity>(name, DurableFunctionKind.Entity), this.sessions, this.services));

    /// <summary>
    /// Runs an activity on its raw JSON input and returns its output as JSON, which the extension stores as it is (as it
    /// stores the JSON a worker returns). A failure reaches the extension in the text shape the Functions host gives a
    /// worker's failure, so the orchestrator sees the activity's exception type (see <see cref="WorkerFailureException"/>).
    /// </summary>
    public Task<object?> RunActivityAsync(string name, string? rawInput, string? instanceId)
        => this.Executions.TimeAsync(FunctionExecutions.Activity, () => this.ActivityAsync(name, rawInput, instanceId));

    /// <summary>Keeps the payload of the isolated-worker client binding (called by the generated client function).</summary>
    public void ReceiveClientInfo(string info) => this.clientInfo.TrySetResult(info);

    private async Task<object?> ActivityAsync(string name, string? rawInput, string? instanceId)
    {
        ITaskActivity activity = this.Create<ITaskActivity>(name, DurableFunctionKind.Activity);
        object? output;
        try
        {
            object? input = rawInput is null ? null : this.dataConverter.Deserialize(rawInput, activity.InputType);
            output = await activity.RunAsync(new Context(name, instanceId ?? string.Empty), input);
        }
        catch (Exception e)
        {
            throw new WorkerFailureException(e);
        }

        return this.dataConverter.Serialize(output) is { } json ? JToken.Parse(json) : null;
    }

    private T Create<T>(string name, DurableFunctionKind kind)
        where T : class
    {
        if (!this.functions.TryGetValue(name, out DurableFunctionEntry? function) || function.Kind != kind)
        {
            throw new InvalidOperationException($"No {kind.ToString().ToLowerInvariant()} named '{name}' is registered.");
        }

        return DurableCatalog.Create(function, this.services) as T
            ?? throw new InvalidOperationException($"Durable function '{name}' ({function.ImplementationType}) is not an {typeof(T).Name}.");
    }

    private sealed class Context(TaskName name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;

        public override string InstanceId { get; } = instanceId;
    }
}

/// <summary>
/// A worker function's failure in the form the Functions host passes it to the Durable Functions extension
/// (<c>Result: Failure</c>, <c>Exception: {type}: {message}</c>, <c>Stack: {stack}</c>), from which the extension takes the
/// failure's type and message for the orchestrator's <see cref="TaskFailedException"/>.
/// </summary>
public sealed class WorkerFailureException(Exception failure)
    : Exception($"Result: Failure\nException: {failure.GetType().FullName}: {failure.Message}\nStack: {failure.StackTrace}", failure);

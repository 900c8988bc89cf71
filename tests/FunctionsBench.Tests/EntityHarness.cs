using Microsoft.DurableTask.Entities;

namespace FunctionsBench.Tests;

/// <summary>
/// Runs operations on an entity the way a host does: by name through <see cref="ITaskEntity.RunAsync"/>, with input and
/// state going through JSON between operations, so what survives is what a real host would persist.
/// </summary>
internal sealed class EntityHarness(ITaskEntity entity, EntityInstanceId id)
{
    public string? SerializedState { get; private set; }

    public async Task<T?> RunAsync<T>(string operation, object? input = null)
        => (T?)await entity.RunAsync(new Operation(this, operation, input is null ? null : JsonSerializer.Serialize(input, BenchJson.Options), id));

    public Task RunAsync(string operation, object? input = null) => this.RunAsync<object>(operation, input);

    public T? State<T>() => this.SerializedState is null ? default : JsonSerializer.Deserialize<T>(this.SerializedState, BenchJson.Options);

    private sealed class Operation(EntityHarness harness, string name, string? input, EntityInstanceId id) : TaskEntityOperation
    {
        public override string Name => name;

        public override TaskEntityContext Context { get; } = new Context(id);

        public override TaskEntityState State { get; } = new StateStore(harness);

        public override bool HasInput => input is not null;

        public override object? GetInput(Type inputType) => input is null ? null : JsonSerializer.Deserialize(input, inputType, BenchJson.Options);
    }

    private sealed class StateStore(EntityHarness harness) : TaskEntityState
    {
        public override bool HasState => harness.SerializedState is not null;

        public override object? GetState(Type type) => harness.SerializedState is null ? null : JsonSerializer.Deserialize(harness.SerializedState, type, BenchJson.Options);

        public override void SetState(object? state) => harness.SerializedState = state is null ? null : JsonSerializer.Serialize(state, state.GetType(), BenchJson.Options);
    }

    private sealed class Context(EntityInstanceId id) : TaskEntityContext
    {
        public override EntityInstanceId Id => id;

        public override void SignalEntity(EntityInstanceId id, string operationName, object? input = null, SignalEntityOptions? options = null)
            => throw new InvalidOperationException("The entities under test send no signals.");

        public override string ScheduleNewOrchestration(TaskName name, object? input = null, StartOrchestrationOptions? options = null)
            => throw new InvalidOperationException("The entities under test start no orchestrations.");
    }
}

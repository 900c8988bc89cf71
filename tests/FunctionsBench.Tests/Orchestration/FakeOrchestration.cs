using Microsoft.DurableTask.Entities;

namespace FunctionsBench.Tests.Orchestration;

/// <summary>
/// A mocked <see cref="TaskOrchestrationContext"/> that answers the app's calls as the real functions would and records
/// what the orchestrator asked for: activities, sub-orchestrations, entity calls and signals, custom status. Its clock
/// advances one millisecond per read.
/// </summary>
internal sealed class FakeOrchestration
{
    public static readonly DateTime T0 = new(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);

    /// <summary>The run id every orchestration test uses.</summary>
    public const string RunId = "r1";

    private readonly Mock<TaskOrchestrationContext> context = new() { CallBase = true };
    private readonly Mock<TaskOrchestrationEntityFeature> entities = new();
    private DateTime clock = T0;
    private int seen;

    public FakeOrchestration()
    {
        this.context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => this.clock = this.clock.AddMilliseconds(1));
        this.context.SetupGet(c => c.Entities).Returns(this.entities.Object);
        this.context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback<object?>(this.CustomStatuses.Add);
        this.context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        this.context.Setup(c => c.CallActivityAsync<string>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((name, input, _) =>
            {
                this.Activities.Add((name.Name, input));
                return Task.FromResult(this.ActivityAnswer(name.Name, input));
            });
        this.context.Setup(c => c.CallSubOrchestratorAsync<string>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((name, input, options) =>
            {
                this.SubOrchestrations.Add((name.Name, input, (options as SubOrchestrationOptions)?.InstanceId));
                return Task.FromResult(SayHello.Greeting((string)input!));
            });
        this.entities.Setup(e => e.SignalEntityAsync(It.IsAny<EntityInstanceId>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<SignalEntityOptions?>()))
            .Returns<EntityInstanceId, string, object?, SignalEntityOptions?>((id, operation, input, _) =>
            {
                this.Signals.Add((id, operation, input));
                return Task.CompletedTask;
            });
        this.entities.Setup(e => e.CallEntityAsync<LoginReply>(It.IsAny<EntityInstanceId>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CallEntityOptions?>()))
            .Returns<EntityInstanceId, string, object?, CallEntityOptions?>((id, operation, input, _) =>
            {
                this.EntityCalls.Add((id, operation, input));
                return Task.FromResult(new LoginReply(++this.seen + this.SeenCountError, 0, "greeting"));
            });
    }

    public TaskOrchestrationContext Context => this.context.Object;

    public Mock<TaskOrchestrationContext> Mock => this.context;

    public Mock<TaskOrchestrationEntityFeature> Entities => this.entities;

    public List<(string Name, object? Input)> Activities { get; } = [];

    public List<(string Name, object? Input, string? InstanceId)> SubOrchestrations { get; } = [];

    public List<(EntityInstanceId Id, string Operation, object? Input)> Signals { get; } = [];

    public List<(EntityInstanceId Id, string Operation, object? Input)> EntityCalls { get; } = [];

    public List<object?> CustomStatuses { get; } = [];

    /// <summary>Added to every seen-count the greeter entity answers: a wrong count the orchestrator must catch.</summary>
    public int SeenCountError { get; set; }

    /// <summary>What <c>SayHello</c> answers; a test can make it wrong.</summary>
    public Func<string, string> Greeting { get; set; } = SayHello.Greeting;

    /// <summary>The timing records the orchestrator sent to the timings entities, in order.</summary>
    public IEnumerable<TimingRecord> RecordedTimings => this.Signals.Where(s => s.Operation == nameof(TimingsEntity.Record)).SelectMany(s => ((TimingBatch)s.Input!).Records);

    private string ActivityAnswer(string name, object? input) => name == nameof(SayHello) ? this.Greeting((string)input!) : throw new InvalidOperationException($"unexpected activity {name}");
}

namespace FunctionsBench.BenchOrchestrator.History;

/// <summary>
/// One row of the task hub's <c>{hub}History</c> table as the Azure Storage provider writes it: one history event of one
/// orchestration execution.
/// </summary>
/// <param name="InstanceId">The orchestration instance (the row's PartitionKey).</param>
/// <param name="Sequence">The event's position in its execution's history (the row's RowKey, hexadecimal in the table).</param>
/// <param name="ExecutionId">The execution (ContinueAsNew generation) the row belongs to.</param>
/// <param name="EventType">OrchestratorStarted, TaskScheduled, TaskCompleted, EventSent, ...</param>
/// <param name="Timestamp">The event's own time (the <c>_Timestamp</c> column), not the table's write time.</param>
/// <param name="EventId">The event id (the id a TaskScheduled or SubOrchestrationInstanceCreated row gives its task).</param>
/// <param name="TaskScheduledId">TaskCompleted and SubOrchestrationInstanceCompleted: the EventId of the call they answer.</param>
/// <param name="Name">The activity or orchestration name; for EventRaised, the event name (an entity answer's request id).</param>
/// <param name="TargetInstanceId">SubOrchestrationInstanceCreated and EventSent: the instance called or signalled.</param>
/// <param name="Input">The event's input; only needed for EventSent rows (an entity request's operation and id).</param>
public sealed record HistoryRow(
    string InstanceId,
    long Sequence,
    string ExecutionId,
    string EventType,
    DateTime Timestamp,
    int EventId = -1,
    int? TaskScheduledId = null,
    string? Name = null,
    string? TargetInstanceId = null,
    string? Input = null);

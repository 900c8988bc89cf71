using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;
using CoreEntityId = DurableTask.Core.Entities.EntityId;
using CoreFailureDetails = DurableTask.Core.FailureDetails;
using CoreStatus = DurableTask.Core.OrchestrationStatus;

namespace FunctionsBench.Embedded.Durable;

/// <summary>Translations between the Durable Task SDK's client types and DurableTask.Core's.</summary>
internal static class CoreConversions
{
    public static OrchestrationRuntimeStatus ToRuntimeStatus(this CoreStatus status) => status switch
    {
        CoreStatus.Running => OrchestrationRuntimeStatus.Running,
        CoreStatus.Completed => OrchestrationRuntimeStatus.Completed,
#pragma warning disable CS0618 // Core still has these; the SDK keeps them only for compatibility.
        CoreStatus.ContinuedAsNew => OrchestrationRuntimeStatus.ContinuedAsNew,
        CoreStatus.Canceled => OrchestrationRuntimeStatus.Canceled,
#pragma warning restore CS0618
        CoreStatus.Failed => OrchestrationRuntimeStatus.Failed,
        CoreStatus.Terminated => OrchestrationRuntimeStatus.Terminated,
        CoreStatus.Pending => OrchestrationRuntimeStatus.Pending,
        CoreStatus.Suspended => OrchestrationRuntimeStatus.Suspended,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown orchestration status."),
    };

    public static CoreStatus ToCore(this OrchestrationRuntimeStatus status) => status switch
    {
        OrchestrationRuntimeStatus.Running => CoreStatus.Running,
        OrchestrationRuntimeStatus.Completed => CoreStatus.Completed,
#pragma warning disable CS0618 // see ToRuntimeStatus
        OrchestrationRuntimeStatus.ContinuedAsNew => CoreStatus.ContinuedAsNew,
        OrchestrationRuntimeStatus.Canceled => CoreStatus.Canceled,
#pragma warning restore CS0618
        OrchestrationRuntimeStatus.Failed => CoreStatus.Failed,
        OrchestrationRuntimeStatus.Terminated => CoreStatus.Terminated,
        OrchestrationRuntimeStatus.Pending => CoreStatus.Pending,
        OrchestrationRuntimeStatus.Suspended => CoreStatus.Suspended,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown orchestration status."),
    };

    public static TaskFailureDetails? ToTaskFailureDetails(this CoreFailureDetails? details) => details is null
        ? null
        : new TaskFailureDetails(details.ErrorType, details.ErrorMessage, details.StackTrace, details.InnerFailure.ToTaskFailureDetails(), details.Properties);

    public static CoreEntityId ToCore(this EntityInstanceId id) => new(id.Name, id.Key);

    public static EntityInstanceId ToEntityInstanceId(this CoreEntityId id) => new(id.Name, id.Key);
}

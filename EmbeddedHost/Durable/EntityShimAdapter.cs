using DurableTask.Core.Entities.OperationFormat;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask.Worker.Shims;
using CoreEntityId = DurableTask.Core.Entities.EntityId;
using CoreTaskEntity = DurableTask.Core.Entities.TaskEntity;

namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// DurableTask.Core asks for an entity by name before it knows which entity runs, while the SDK's entity shim needs
/// the entity id; this adapter creates the shim for each batch, when the id is in the request.
/// </summary>
internal sealed class EntityShimAdapter(DurableTaskShimFactory shims, string name, Func<ITaskEntity> create) : CoreTaskEntity
{
    /// <inheritdoc/>
    public override Task<EntityBatchResult> ExecuteOperationBatchAsync(EntityBatchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CoreEntityId id = CoreEntityId.FromString(request.InstanceId ?? throw new ArgumentException("The entity batch has no instance id.", nameof(request)));
        return shims.CreateEntity(name, create(), id).ExecuteOperationBatchAsync(request);
    }
}

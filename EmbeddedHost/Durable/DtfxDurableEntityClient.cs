using DurableTask.Core;
using DurableTask.Core.Entities;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using EntityMetadata = Microsoft.DurableTask.Client.Entities.EntityMetadata;
using EntityQuery = Microsoft.DurableTask.Client.Entities.EntityQuery;

namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// The entity half of <see cref="DtfxDurableTaskClient"/>: reads entities through the backend's
/// <see cref="EntityBackendQueries"/> and signals them by sending the same entity request message an orchestration sends.
/// </summary>
public sealed class DtfxDurableEntityClient : DurableEntityClient
{
    private readonly IOrchestrationServiceClient service;
    private readonly EntityBackendQueries queries;
    private readonly DataConverter dataConverter;
    private readonly TimeSpan maxSignalDelay;

    /// <summary>Creates an entity client.</summary>
    /// <param name="name">The client's name.</param>
    /// <param name="service">Sends the signal messages.</param>
    /// <param name="queries">The backend's entity queries.</param>
    /// <param name="dataConverter">Serializes operation inputs and deserializes entity state; must match the worker's.</param>
    /// <param name="maxSignalDelay">The backend's longest signal delay; later scheduled signals are re-sent by the entity.</param>
    public DtfxDurableEntityClient(string name, IOrchestrationServiceClient service, EntityBackendQueries queries, DataConverter dataConverter, TimeSpan maxSignalDelay)
        : base(name)
    {
        this.service = service ?? throw new ArgumentNullException(nameof(service));
        this.queries = queries ?? throw new ArgumentNullException(nameof(queries));
        this.dataConverter = dataConverter ?? throw new ArgumentNullException(nameof(dataConverter));
        this.maxSignalDelay = maxSignalDelay;
    }

    /// <inheritdoc/>
    public override Task SignalEntityAsync(
        EntityInstanceId id, string operationName, object? input = null, SignalEntityOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(operationName);
        cancellation.ThrowIfCancellationRequested();
        EntityMessageEvent signal = ClientEntityHelpers.EmitOperationSignal(
            new OrchestrationInstance { InstanceId = id.ToString() },
            Guid.NewGuid(),
            operationName,
            this.dataConverter.Serialize(input),
            EntityMessageEvent.GetCappedScheduledTime(DateTime.UtcNow, this.maxSignalDelay, options?.SignalTime?.UtcDateTime));
        return this.service.SendTaskOrchestrationMessageAsync(signal.AsTaskMessage());
    }

    /// <inheritdoc/>
    public override async Task<EntityMetadata?> GetEntityAsync(EntityInstanceId id, bool includeState = true, CancellationToken cancellation = default)
        => await this.queries.GetEntityAsync(id.ToCore(), includeState, includeStateless: false, cancellation) is { } found ? this.ToMetadata(found) : null;

    /// <inheritdoc/>
    public override async Task<EntityMetadata<T>?> GetEntityAsync<T>(EntityInstanceId id, bool includeState = true, CancellationToken cancellation = default)
        => await this.queries.GetEntityAsync(id.ToCore(), includeState, includeStateless: false, cancellation) is { } found ? this.ToMetadata<T>(found) : null;

    /// <inheritdoc/>
    public override AsyncPageable<EntityMetadata> GetAllEntitiesAsync(EntityQuery? filter = null) => this.Query(filter, this.ToMetadata);

    /// <inheritdoc/>
    public override AsyncPageable<EntityMetadata<T>> GetAllEntitiesAsync<T>(EntityQuery? filter = null) => this.Query(filter, this.ToMetadata<T>);

    /// <inheritdoc/>
    public override async Task<CleanEntityStorageResult> CleanEntityStorageAsync(
        CleanEntityStorageRequest? request = null, bool continueUntilComplete = true, CancellationToken cancellation = default)
    {
        CleanEntityStorageRequest settings = request ?? CleanEntityStorageRequest.Default;
        string? continuation = settings.ContinuationToken;
        int emptyRemoved = 0;
        int locksReleased = 0;
        do
        {
            EntityBackendQueries.CleanEntityStorageResult page = await this.queries.CleanEntityStorageAsync(
                new EntityBackendQueries.CleanEntityStorageRequest
                {
                    RemoveEmptyEntities = settings.RemoveEmptyEntities,
                    ReleaseOrphanedLocks = settings.ReleaseOrphanedLocks,
                    ContinuationToken = continuation,
                },
                cancellation);
            emptyRemoved += page.EmptyEntitiesRemoved;
            locksReleased += page.OrphanedLocksReleased;
            continuation = page.ContinuationToken;
        }
        while (continueUntilComplete && continuation is not null);

        return new CleanEntityStorageResult
        {
            EmptyEntitiesRemoved = emptyRemoved,
            OrphanedLocksReleased = locksReleased,
            ContinuationToken = continuation,
        };
    }

    private AsyncPageable<TMetadata> Query<TMetadata>(EntityQuery? filter, Func<EntityBackendQueries.EntityMetadata, TMetadata> convert)
        where TMetadata : notnull
        => Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            EntityBackendQueries.EntityQueryResult result = await this.queries.QueryEntitiesAsync(
                new EntityBackendQueries.EntityQuery
                {
                    InstanceIdStartsWith = filter?.InstanceIdStartsWith ?? string.Empty,
                    LastModifiedFrom = filter?.LastModifiedFrom?.UtcDateTime,
                    LastModifiedTo = filter?.LastModifiedTo?.UtcDateTime,
                    IncludeState = filter?.IncludeState ?? true,
                    IncludeTransient = filter?.IncludeTransient ?? false,
                    PageSize = pageSize ?? filter?.PageSize,
                    ContinuationToken = continuation ?? filter?.ContinuationToken,
                },
                cancellation);
            return new Page<TMetadata>(result.Results.Select(convert).ToList(), result.ContinuationToken);
        });

    private EntityMetadata ToMetadata(EntityBackendQueries.EntityMetadata found) => new(
        found.EntityId.ToEntityInstanceId(),
        found.SerializedState is null ? null : new SerializedData(found.SerializedState, this.dataConverter))
    {
        LastModifiedTime = found.LastModifiedTime,
        BacklogQueueSize = found.BacklogQueueSize,
        LockedBy = found.LockedBy,
    };

    private EntityMetadata<T> ToMetadata<T>(EntityBackendQueries.EntityMetadata found) => new(
        found.EntityId.ToEntityInstanceId(),
        this.dataConverter.Deserialize<T>(found.SerializedState))
    {
        LastModifiedTime = found.LastModifiedTime,
        BacklogQueueSize = found.BacklogQueueSize,
        LockedBy = found.LockedBy,
    };
}

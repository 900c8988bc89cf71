using System.Globalization;
using DurableTask.Core;
using DurableTask.Core.Entities;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using CoreOrchestrationQuery = DurableTask.Core.Query.OrchestrationQuery;
using CorePurgeResult = DurableTask.Core.PurgeResult;
using OrchestrationQuery = Microsoft.DurableTask.Client.OrchestrationQuery;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;

namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// A Durable Task SDK client over a DurableTask.Core orchestration service client, so that code written against
/// <see cref="DurableTaskClient"/> (the shared HTTP API, tests) drives the embedded host exactly as it drives the
/// Functions host. Query, purge and entity operations are available when the service implements the matching
/// DurableTask.Core interfaces (the Azure Storage provider implements all of them).
/// </summary>
/// <remarks>
/// Not supported (they throw <see cref="NotSupportedException"/>): recursive terminate and purge, restart, rewind,
/// orchestration history and <see cref="DurableTaskClient.ListInstanceIdsAsync"/>.
/// Starting an instance whose id belongs to a pending, running or suspended instance throws
/// <see cref="OrchestrationAlreadyExistsException"/> instead of replacing it.
/// </remarks>
public sealed class DtfxDurableTaskClient : DurableTaskClient
{
    private static readonly TimeSpan FirstPollingDelay = TimeSpan.FromMilliseconds(50);

    private static readonly OrchestrationStatus[] NonTerminalStatuses =
        [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.ContinuedAsNew, OrchestrationStatus.Suspended];

    private readonly IOrchestrationServiceClient service;
    private readonly DataConverter dataConverter;
    private readonly TimeSpan maxPollingInterval;
    private readonly DtfxDurableEntityClient? entities;

    /// <summary>Creates a client.</summary>
    /// <param name="name">The client's name (the task hub, by convention).</param>
    /// <param name="service">The orchestration service; the optional features come from the interfaces it also implements.</param>
    /// <param name="dataConverter">Serializes inputs, outputs and event payloads; must match the worker's.</param>
    /// <param name="maxPollingInterval">The longest interval between status polls while waiting for an instance.</param>
    public DtfxDurableTaskClient(string name, IOrchestrationServiceClient service, DataConverter dataConverter, TimeSpan? maxPollingInterval = null)
        : base(name)
    {
        this.service = service ?? throw new ArgumentNullException(nameof(service));
        this.dataConverter = dataConverter ?? throw new ArgumentNullException(nameof(dataConverter));
        this.maxPollingInterval = maxPollingInterval ?? TimeSpan.FromSeconds(1);
        if (service is IEntityOrchestrationService { EntityBackendQueries: { } queries } entityService)
        {
            TimeSpan maxSignalDelay = entityService.EntityBackendProperties?.MaximumSignalDelayTime ?? TimeSpan.FromDays(6);
            this.entities = new DtfxDurableEntityClient(name, service, queries, dataConverter, maxSignalDelay);
        }
    }

    /// <inheritdoc/>
    public override DurableEntityClient Entities => this.entities
        ?? throw new NotSupportedException($"The orchestration service {this.service.GetType().Name} does not support entities (it offers no entity backend queries).");

    /// <inheritdoc/>
    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        string instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        var instance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = Guid.NewGuid().ToString("N") };
        var tags = options?.Tags?.ToDictionary(t => t.Key, t => t.Value) ?? [];
        tags[OrchestrationTags.RequestTime] = DateTimeOffset.UtcNow.ToString(CultureInfo.InvariantCulture);
        var message = new TaskMessage
        {
            OrchestrationInstance = instance,
            Event = new ExecutionStartedEvent(-1, this.dataConverter.Serialize(input))
            {
                Name = orchestratorName.Name,
                Version = options?.Version?.Version ?? string.Empty,
                OrchestrationInstance = instance,
                ScheduledStartTime = options?.StartAt?.UtcDateTime,
                Tags = tags,
            },
        };

        await this.service.CreateTaskOrchestrationAsync(message, NonTerminalStatuses);
        return instanceId;
    }

    /// <inheritdoc/>
    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return this.SendAsync(instanceId, new EventRaisedEvent(-1, this.dataConverter.Serialize(eventPayload)) { Name = eventName }, cancellation);
    }

    /// <inheritdoc/>
    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        if (options?.Recursive == true)
        {
            throw new NotSupportedException("The embedded host's client does not terminate sub-orchestrations recursively.");
        }

        cancellation.ThrowIfCancellationRequested();
        return this.service.ForceTerminateTaskOrchestrationAsync(instanceId, this.dataConverter.Serialize(options?.Output));
    }

    /// <inheritdoc/>
    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
        => this.SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason), cancellation);

    /// <inheritdoc/>
    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
        => this.SendAsync(instanceId, new ExecutionResumedEvent(-1, reason), cancellation);

    /// <inheritdoc/>
    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellation.ThrowIfCancellationRequested();
        IList<OrchestrationState>? states = await this.service.GetOrchestrationStateAsync(instanceId, allExecutions: false);
        // The Azure Storage provider answers an unknown id with a list holding one null.
        return states?.FirstOrDefault(s => s is not null) is { } state ? this.ToMetadata(state, getInputsAndOutputs) : null;
    }

    /// <inheritdoc/>
    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        IOrchestrationServiceQueryClient queries = this.Require<IOrchestrationServiceQueryClient>("instance queries");
        return Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            var query = new CoreOrchestrationQuery
            {
                RuntimeStatus = filter?.Statuses?.Select(s => s.ToCore()).ToList(),
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                TaskHubNames = filter?.TaskHubNames?.ToList(),
                PageSize = pageSize ?? filter?.PageSize ?? OrchestrationQuery.DefaultPageSize,
                ContinuationToken = continuation ?? filter?.ContinuationToken,
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                FetchInputsAndOutputs = filter?.FetchInputsAndOutputs ?? false,
            };
            OrchestrationQueryResult result = await queries.GetOrchestrationWithQueryAsync(query, cancellation);
            return new Page<OrchestrationMetadata>(
                result.OrchestrationState.Select(s => this.ToMetadata(s, query.FetchInputsAndOutputs)).ToList(), result.ContinuationToken);
        });
    }

    /// <inheritdoc/>
    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => await this.PollAsync(instanceId, getInputsAndOutputs, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellation);

    /// <inheritdoc/>
    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => await this.PollAsync(instanceId, getInputsAndOutputs, m => m.IsCompleted, cancellation);

    /// <inheritdoc/>
    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        RejectRecursive(options);
        IOrchestrationServicePurgeClient purge = this.Require<IOrchestrationServicePurgeClient>("purge");
        OrchestrationMetadata? instance = await this.GetInstancesAsync(instanceId, getInputsAndOutputs: false, cancellation);
        if (instance is null)
        {
            return new PurgeResult(0);
        }

        // Entities never reach a terminal state; everything else must have finished, as on the other backends.
        bool isEntity = instanceId.StartsWith('@');
        if (!isEntity && !instance.IsCompleted)
        {
            throw new InvalidOperationException($"Only finished instances can be purged; instance '{instanceId}' is {instance.RuntimeStatus}.");
        }

        CorePurgeResult result = await purge.PurgeInstanceStateAsync(instanceId);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    /// <inheritdoc/>
    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        RejectRecursive(options);
        IOrchestrationServicePurgeClient purge = this.Require<IOrchestrationServicePurgeClient>("purge");
        cancellation.ThrowIfCancellationRequested();
        var coreFilter = new PurgeInstanceFilter(
            filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue,
            filter.CreatedTo?.UtcDateTime,
            filter.Statuses?.Select(s => s.ToCore()));
        CorePurgeResult result = await purge.PurgeInstanceStateAsync(coreFilter);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync() => default;

    private static void RejectRecursive(PurgeInstanceOptions? options)
    {
        if (options?.Recursive == true)
        {
            throw new NotSupportedException("The embedded host's client does not purge sub-orchestrations recursively.");
        }
    }

    private async Task<OrchestrationMetadata> PollAsync(string instanceId, bool getInputsAndOutputs, Func<OrchestrationMetadata, bool> done, CancellationToken cancellation)
    {
        // Short first delays keep waits on quick instances short; the cap keeps a long wait from loading the storage emulator.
        TimeSpan delay = FirstPollingDelay;
        while (true)
        {
            OrchestrationMetadata? metadata = await this.GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);
            if (metadata is not null && done(metadata))
            {
                return metadata;
            }

            await Task.Delay(delay, cancellation);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, this.maxPollingInterval.Ticks));
        }
    }

    private Task SendAsync(string instanceId, HistoryEvent historyEvent, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellation.ThrowIfCancellationRequested();
        return this.service.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = historyEvent,
        });
    }

    private OrchestrationMetadata ToMetadata(OrchestrationState state, bool getInputsAndOutputs) => new(state.Name, state.OrchestrationInstance.InstanceId)
    {
        DataConverter = getInputsAndOutputs ? this.dataConverter : null,
        RuntimeStatus = state.OrchestrationStatus.ToRuntimeStatus(),
        CreatedAt = DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc),
        LastUpdatedAt = DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc),
        SerializedInput = getInputsAndOutputs ? state.Input : null,
        SerializedOutput = getInputsAndOutputs ? state.Output : null,
        SerializedCustomStatus = getInputsAndOutputs ? state.Status : null,
        FailureDetails = state.FailureDetails.ToTaskFailureDetails() ?? FailureFromOutput(state),
        Tags = state.Tags is { } tags ? tags.AsReadOnly() : new Dictionary<string, string>().AsReadOnly(),
    };

    /// <summary>
    /// The Azure Storage provider keeps no failure details in its instance table; it stores "ErrorType: ErrorMessage"
    /// as the output of a failed instance, so the details are recovered from there.
    /// </summary>
    private static TaskFailureDetails? FailureFromOutput(OrchestrationState state)
    {
        if (state.OrchestrationStatus != OrchestrationStatus.Failed || string.IsNullOrEmpty(state.Output))
        {
            return null;
        }

        int separator = state.Output.IndexOf(": ", StringComparison.Ordinal);
        return separator > 0 && !state.Output[..separator].Contains(' ', StringComparison.Ordinal)
            ? new TaskFailureDetails(state.Output[..separator], state.Output[(separator + 2)..], null, null, null)
            : new TaskFailureDetails("OrchestrationFailed", state.Output, null, null, null);
    }

    private T Require<T>(string feature) where T : class => this.service as T
        ?? throw new NotSupportedException($"The orchestration service {this.service.GetType().Name} does not support {feature} ({typeof(T).Name}).");
}

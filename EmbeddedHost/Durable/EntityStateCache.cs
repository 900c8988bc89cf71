using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.Entities.OperationFormat;
using DurableTask.Core.Middleware;
using Microsoft.Extensions.Logging;

namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// Keeps entity state across the batches of an extended session. DurableTask.Core's entity dispatcher passes the
/// stored state only to the first batch of a session and expects the executor to remember it; the SDK's entity shim is
/// created per batch and remembers nothing, so without this middleware every later batch would start from empty state
/// and silently overwrite the stored one.
/// </summary>
/// <remarks>
/// A session ends silently after its idle timeout, so entries untouched for twice that long are dropped; should one be
/// needed after all, the batch fails and the entity reloads its stored state.
/// </remarks>
internal sealed class EntityStateCache(TimeSpan sessionIdleTimeout, ILogger logger)
{
    private readonly ConcurrentDictionary<string, (string? State, long LastUsed)> states = new(StringComparer.Ordinal);
    private readonly long expiryTicks = sessionIdleTimeout.Ticks * 2;
    private long nextSweep = Environment.TickCount64;

    /// <summary>Entities whose state is held.</summary>
    public int Count => this.states.Count;

    /// <summary>The entity dispatcher middleware.</summary>
    public async Task InvokeAsync(DispatchMiddlewareContext context, Func<Task> next)
    {
        EntityBatchRequest request = context.GetProperty<EntityBatchRequest>();
        WorkItemMetadata metadata = context.GetProperty<WorkItemMetadata>();
        string instanceId = request.InstanceId!;

        if (!metadata.IncludeState)
        {
            if (!this.states.TryGetValue(instanceId, out (string? State, long LastUsed) cached))
            {
                // Failing the batch abandons the work item; the next session starts by loading the stored state.
                logger.EntityStateMissing(instanceId);
                throw new InvalidOperationException($"Entity {instanceId} continued an extended session without cached state.");
            }

            request.EntityState = cached.State;
        }

        await next();

        EntityBatchResult? result = context.GetProperty<EntityBatchResult>();
        if (metadata.IsExtendedSession && result is not null)
        {
            this.states[instanceId] = (result.EntityState, Environment.TickCount64);
        }
        else
        {
            this.states.TryRemove(instanceId, out _);
        }

        this.SweepIfDue();
    }

    private void SweepIfDue()
    {
        long now = Environment.TickCount64;
        long expiryMs = this.expiryTicks / TimeSpan.TicksPerMillisecond;
        long due = Interlocked.Read(ref this.nextSweep);
        if (now < due || Interlocked.CompareExchange(ref this.nextSweep, now + expiryMs, due) != due)
        {
            return;
        }

        foreach (KeyValuePair<string, (string? State, long LastUsed)> entry in this.states)
        {
            if (now - entry.Value.LastUsed > expiryMs)
            {
                this.states.TryRemove(entry);
            }
        }
    }
}

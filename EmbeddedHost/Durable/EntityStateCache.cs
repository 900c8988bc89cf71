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
/// A session ends silently after its idle timeout, so entries untouched for twice that long are dropped. When a batch
/// arrives without state and none is cached, the stored state is read instead: the previous batch of the session
/// completed, and was persisted, before this one was dispatched, so storage holds exactly the state it left.
/// </remarks>
internal sealed class EntityStateCache(TimeSpan sessionIdleTimeout, Func<string, Task<string?>> loadStoredState, ILogger logger)
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
            if (this.states.TryGetValue(instanceId, out (string? State, long LastUsed) cached))
            {
                request.EntityState = cached.State;
            }
            else
            {
                logger.EntityStateMissing(instanceId);
                request.EntityState = await loadStoredState(instanceId);
            }
        }

        await next();

        // Cache after every batch, not only after those already inside an extended session: the dispatcher runs a
        // session's first batch as not extended and may then continue the session, handing the next batch no state.
        // A failed batch caches nothing, and a session that ends restarts with the stored state (IncludeState).
        EntityBatchResult? result = context.GetProperty<EntityBatchResult>();
        if (result is not null)
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

using FunctionsBench.ShoppingCart;

namespace FunctionsBench.StateFun;

/// <summary>A unit (or a chunk of one) of the shopping-cart workload for <see cref="StateFunCartDriver.RunAsync"/>.</summary>
/// <param name="Endpoint">The function endpoint, as for <see cref="StateFunChunkRequest.Endpoint"/> (<c>{function.name}</c> allowed).</param>
/// <param name="Options">The unit's workload options: its users (the loops in flight), items and initial stock.</param>
/// <param name="Operations">
/// The operations to run, in id order: the whole unit or a part of it. Operation k belongs to user loop
/// <see cref="CartWorkload.LoopOf"/>(k); each loop sends its own in order, one at a time, and all loops run at once.
/// </param>
/// <param name="State">The runtime state before them: <see cref="StateFunCartDriver.InitialState"/> for a unit's first part.</param>
/// <param name="FunctionKey">Sent as the <c>x-functions-key</c> header, as for <see cref="StateFunChunkRequest.FunctionKey"/>.</param>
public sealed record StateFunCartRequest(Uri Endpoint, CartWorkloadOptions Options, IReadOnlyList<CartOperation> Operations, StateFunRuntimeState State, string? FunctionKey = null);

/// <summary>The timing of one operation: from sending its ingress message to the end of the last message it caused.</summary>
/// <param name="Id">The operation's id.</param>
/// <param name="Kind">What it was.</param>
/// <param name="StartUtc">When its ingress message was sent (waits for a busy address included).</param>
/// <param name="EndUtc">When the last message it caused had been applied and its egress collected.</param>
public readonly record struct CartOperationTiming(int Id, CartOperationKind Kind, DateTime StartUtc, DateTime EndUtc)
{
    /// <summary>The latency in milliseconds.</summary>
    public double ElapsedMs => (EndUtc - StartUtc).TotalMilliseconds;
}

/// <summary>What <see cref="StateFunCartDriver.RunAsync"/> ran.</summary>
/// <param name="Timings">One per operation, in id order.</param>
/// <param name="Outcomes">What each operation returned to its user, in id order: an AddToCart's availability, a Checkout's receipt.</param>
/// <param name="State">The runtime state after them (the request's is not changed).</param>
/// <param name="HttpRequests">The HTTP requests these operations made, handshakes included.</param>
/// <param name="Deliveries">The messages delivered (ingress and between functions), one request each apart from handshakes.</param>
/// <param name="MailboxWaits">Messages that found their address busy with another message and waited for it.</param>
/// <param name="Receipts">Receipts collected from the egress.</param>
public sealed record StateFunCartResult(
    IReadOnlyList<CartOperationTiming> Timings,
    IReadOnlyList<CartOutcome> Outcomes,
    StateFunRuntimeState State,
    long HttpRequests,
    long Deliveries,
    long MailboxWaits,
    int Receipts);

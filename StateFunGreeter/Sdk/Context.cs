using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>
/// What a function can see and do while it handles a message: its own address, the caller, its state, and
/// the messages it sends. Everything sent is returned to the runtime in the reply to the current batch.
/// </summary>
public sealed class Context
{
    private readonly Proto.FromFunction.Types.InvocationResponse response;
    private WireAddress? callerWire;
    private Address? caller;

    internal Context(Address self, AddressScopedStorage storage, Proto.FromFunction.Types.InvocationResponse response)
    {
        Self = self;
        Storage = storage;
        this.response = response;
    }

    /// <summary>The address of the function instance being invoked.</summary>
    public Address Self { get; }

    /// <summary>The sender, or null for a message from an ingress.</summary>
    public Address? Caller => caller ??= callerWire?.ToAddress();

    /// <summary>The state of <see cref="Self"/>.</summary>
    public AddressScopedStorage Storage { get; }

    /// <summary>Sends a message to another function instance.</summary>
    public void Send<T>(Address target, StateFunType<T> type, T value)
    {
        ArgumentNullException.ThrowIfNull(target);
        response.OutgoingMessages.Add(new Proto.FromFunction.Types.Invocation
        {
            Target = target.ToProto(),
            Argument = TypedValueOf(type, value),
        });
    }

    /// <summary>Sends a message that the runtime delivers after <paramref name="delay"/>.</summary>
    /// <param name="delay">How long the runtime holds the message.</param>
    /// <param name="target">The receiving function instance.</param>
    /// <param name="type">The value's type.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">A token for <see cref="CancelDelayedMessage"/>, or null.</param>
    public void SendAfter<T>(TimeSpan delay, Address target, StateFunType<T> type, T value, string? cancellationToken = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        response.DelayedInvocations.Add(new Proto.FromFunction.Types.DelayedInvocation
        {
            DelayInMs = (long)delay.TotalMilliseconds,
            Target = target.ToProto(),
            Argument = TypedValueOf(type, value),
            CancellationToken = cancellationToken ?? string.Empty,
        });
    }

    /// <summary>Cancels a delayed message sent with the given token, if it is still pending.</summary>
    public void CancelDelayedMessage(string cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(cancellationToken);
        response.DelayedInvocations.Add(new Proto.FromFunction.Types.DelayedInvocation
        {
            IsCancellationRequest = true,
            CancellationToken = cancellationToken,
        });
    }

    /// <summary>Sends a value to an egress, e.g. <c>io.statefun.playground/egress</c>.</summary>
    public void SendEgress<T>(TypeName egress, StateFunType<T> type, T value)
    {
        ArgumentNullException.ThrowIfNull(egress);
        response.OutgoingEgresses.Add(new Proto.FromFunction.Types.EgressMessage
        {
            EgressNamespace = egress.Namespace,
            EgressType = egress.Name,
            Argument = TypedValueOf(type, value),
        });
    }

    internal void SetCaller(WireAddress? sender)
    {
        callerWire = sender;
        caller = null;
    }

    private static Proto.TypedValue TypedValueOf<T>(StateFunType<T> type, T value)
    {
        ArgumentNullException.ThrowIfNull(type);
        return new Proto.TypedValue
        {
            Typename = type.TypeName.FullName,
            HasValue = true,
            Value = UnsafeByteOperations.UnsafeWrap(type.Serialize(value)),
        };
    }
}

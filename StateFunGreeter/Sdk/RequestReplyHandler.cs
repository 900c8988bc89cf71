using System.Buffers;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>
/// Answers StateFun request-reply calls: takes a serialized <c>ToFunction</c>, runs the batch against the
/// registered functions and produces the <c>FromFunction</c> reply. Transport-agnostic and thread-safe.
/// </summary>
public sealed class RequestReplyHandler
{
    private readonly StatefulFunctionSpec[] functions;

    /// <summary>Creates a handler for the functions registered so far; later registrations are not seen.</summary>
    public RequestReplyHandler(StatefulFunctions functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        this.functions = [.. functions.Functions];
    }

    /// <summary>Handles a serialized <c>ToFunction</c> and returns the serialized <c>FromFunction</c>.</summary>
    /// <remarks>The request is read in place: <paramref name="request"/> must not change until the call completes.</remarks>
    /// <exception cref="StateFunInvalidRequestException">The body is not a usable ToFunction.</exception>
    /// <exception cref="StateFunUnknownFunctionException">The target function type is not registered.</exception>
    public async ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken = default)
    {
        var reply = await ReplyToAsync(request, cancellationToken).ConfigureAwait(false);
        return FromFunctionEncoder.Encode(reply);
    }

    /// <summary>
    /// Handles a serialized <c>ToFunction</c> and returns the <c>FromFunction</c> message, for a transport that encodes it
    /// into buffers of its own (<see cref="FromFunctionEncoder.EncodeRented"/>).
    /// </summary>
    /// <remarks>The request is read in place: <paramref name="request"/> must not change until the call completes.</remarks>
    /// <exception cref="StateFunInvalidRequestException">The body is not a usable ToFunction.</exception>
    /// <exception cref="StateFunUnknownFunctionException">The target function type is not registered.</exception>
    public ValueTask<Proto.FromFunction> ReplyToAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken = default) =>
        HandleAsync(InvocationBatch.Read(request), cancellationToken);

    /// <summary>Handles a serialized <c>ToFunction</c> and writes the serialized <c>FromFunction</c> to <paramref name="output"/>.</summary>
    /// <returns>The number of bytes written.</returns>
    public async ValueTask<int> HandleAsync(ReadOnlySequence<byte> request, IBufferWriter<byte> output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        // One contiguous copy the batch can point into; a function may keep a message's RawValue after the call.
        var reply = await HandleAsync(InvocationBatch.Read(request.ToArray()), cancellationToken).ConfigureAwait(false);
        var (buffer, size) = FromFunctionEncoder.EncodeRented(reply);
        try
        {
            buffer.AsSpan(0, size).CopyTo(output.GetSpan(size));
            output.Advance(size);
            return size;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Handles a parsed request.</summary>
    /// <remarks>
    /// If any declared state is missing from the request, replies with <c>incomplete_invocation_context</c> and
    /// runs no user code; the runtime registers the states and resends the same batch. Otherwise runs every
    /// invocation in order against one state view and returns the written states as mutations.
    /// </remarks>
    /// <exception cref="StateFunInvalidRequestException">No invocation batch, target or argument.</exception>
    /// <exception cref="StateFunUnknownFunctionException">The target function type is not registered.</exception>
    public ValueTask<Proto.FromFunction> HandleAsync(Proto.ToFunction request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HandleAsync(InvocationBatch.Of(request), cancellationToken);
    }

    /// <summary>Handles a request read by <see cref="InvocationBatch.Read"/>; see <see cref="HandleAsync(Proto.ToFunction, CancellationToken)"/>.</summary>
    internal async ValueTask<Proto.FromFunction> HandleAsync(InvocationBatch batch, CancellationToken cancellationToken = default)
    {
        if (!batch.Present)
        {
            throw new StateFunInvalidRequestException("The ToFunction carries no invocation batch.");
        }

        var target = batch.Target ?? throw new StateFunInvalidRequestException("The invocation batch has no target address.");
        var function = StatefulFunctions.Find(functions, target.Namespace.Span, target.Type.Span)
            ?? throw new StateFunUnknownFunctionException(string.Concat(WireText.Decode(target.Namespace), "/", WireText.Decode(target.Type)));

        if (MissingStates(function, batch) is { } incomplete)
        {
            return new Proto.FromFunction { IncompleteInvocationContext = incomplete };
        }

        var response = new Proto.FromFunction.Types.InvocationResponse();
        var self = new Address(function.TypeName, WireText.Decode(target.Id));
        var storage = new AddressScopedStorage(function, batch.States);
        var context = new Context(self, storage, response);
        foreach (var invocation in batch.Invocations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var argument = invocation.Argument ?? throw new StateFunInvalidRequestException("An invocation has no argument.");
            context.SetCaller(invocation.Caller);
            await function.Handler(context, new Message(self, argument)).ConfigureAwait(false);
        }

        storage.AppendMutations(response.StateMutations);
        return new Proto.FromFunction { InvocationResult = response };
    }

    private static Proto.FromFunction.Types.IncompleteInvocationContext? MissingStates(StatefulFunctionSpec function, InvocationBatch batch)
    {
        Proto.FromFunction.Types.IncompleteInvocationContext? incomplete = null;
        foreach (var spec in function.States)
        {
            if (!IsPresent(batch, spec))
            {
                incomplete ??= new Proto.FromFunction.Types.IncompleteInvocationContext();
                incomplete.MissingValues.Add(ToProto(spec));
            }
        }

        return incomplete;
    }

    // Presence of the name is what counts: a registered state without a value arrives as a bare state_name.
    private static bool IsPresent(InvocationBatch batch, ValueSpec spec)
    {
        foreach (var state in batch.States)
        {
            if (state.Name.Span.SequenceEqual(spec.NameUtf8))
            {
                return true;
            }
        }

        return false;
    }

    private static Proto.FromFunction.Types.PersistedValueSpec ToProto(ValueSpec spec)
    {
        var result = new Proto.FromFunction.Types.PersistedValueSpec
        {
            StateName = spec.Name,
            TypeTypename = spec.TypeName.FullName,
        };
        if (spec.Expiration.Mode != ExpirationMode.None)
        {
            result.ExpirationSpec = new Proto.FromFunction.Types.ExpirationSpec
            {
                Mode = spec.Expiration.Mode == ExpirationMode.AfterWrite
                    ? Proto.FromFunction.Types.ExpirationSpec.Types.ExpireMode.AfterWrite
                    : Proto.FromFunction.Types.ExpirationSpec.Types.ExpireMode.AfterInvoke,
                ExpireAfterMillis = (long)spec.Expiration.After.TotalMilliseconds,
            };
        }

        return result;
    }
}

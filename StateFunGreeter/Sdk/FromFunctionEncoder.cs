using System.Buffers;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>
/// Serializes a <c>FromFunction</c> that <see cref="RequestReplyHandler"/> built, in one pass for the sizes and one for
/// the bytes. The generated <c>WriteTo</c> recomputes every nested message's size at every level of nesting, which
/// made writing a login's reply cost as much as parsing its request. The bytes are
/// those of <c>ToByteArray()</c> (fields in number order, defaults omitted); the handler's replies carry no unknown
/// fields, which this encoder would not write.
/// </summary>
public static class FromFunctionEncoder
{
    /// <summary>Encodes <paramref name="reply"/> into a buffer from <see cref="ArrayPool{T}.Shared"/>, which the caller returns.</summary>
    /// <returns>The rented buffer and the encoded length.</returns>
    public static (byte[] Buffer, int Length) EncodeRented(Proto.FromFunction reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var sizes = new Sizes();
        try
        {
            var length = Measure(reply, ref sizes);
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            var writer = new Writer(buffer, sizes.Values);
            writer.FromFunction(reply);
            return (buffer, length);
        }
        finally
        {
            sizes.Return();
        }
    }

    /// <summary>Encodes <paramref name="reply"/> into a new array.</summary>
    public static byte[] Encode(Proto.FromFunction reply)
    {
        var (buffer, length) = EncodeRented(reply);
        try
        {
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int StringSize(int number, string value) => ProtoWire.StringSize(number, value);

    private static int VarintField(int number, long value) => ProtoWire.VarintFieldSize(number, value);

    /// <summary>Pre-order message sizes: measured once, then read back in the same order while writing.</summary>
    private struct Sizes
    {
        private int count;

        public Sizes() => Values = ArrayPool<int>.Shared.Rent(32);

        public int[] Values { get; private set; }

        public int Reserve()
        {
            if (count == Values.Length)
            {
                var larger = ArrayPool<int>.Shared.Rent(Values.Length * 2);
                Values.AsSpan().CopyTo(larger);
                ArrayPool<int>.Shared.Return(Values);
                Values = larger;
            }

            return count++;
        }

        public readonly void Return() => ArrayPool<int>.Shared.Return(Values);
    }

    // Each Measure* returns the message's own size (without its tag and length) and records it at a pre-order slot.
    private static int Measure(Proto.FromFunction reply, ref Sizes sizes)
    {
        var slot = sizes.Reserve();
        var size = reply.ResponseCase switch
        {
            Proto.FromFunction.ResponseOneofCase.InvocationResult => Nested(100, MeasureResponse(reply.InvocationResult, ref sizes)),
            Proto.FromFunction.ResponseOneofCase.IncompleteInvocationContext => Nested(101, MeasureIncomplete(reply.IncompleteInvocationContext, ref sizes)),
            _ => 0,
        };
        return sizes.Values[slot] = size;
    }

    private static int Nested(int number, int size) => ProtoWire.LengthDelimitedSize(number, size);

    private static int MeasureResponse(Proto.FromFunction.Types.InvocationResponse response, ref Sizes sizes)
    {
        var slot = sizes.Reserve();
        var size = 0;
        foreach (var mutation in response.StateMutations)
        {
            size += Nested(1, MeasureMutation(mutation, ref sizes));
        }

        foreach (var message in response.OutgoingMessages)
        {
            size += Nested(2, MeasureInvocation(message, ref sizes));
        }

        foreach (var delayed in response.DelayedInvocations)
        {
            size += Nested(3, MeasureDelayed(delayed, ref sizes));
        }

        foreach (var egress in response.OutgoingEgresses)
        {
            size += Nested(4, MeasureEgress(egress, ref sizes));
        }

        return sizes.Values[slot] = size;
    }

    private static int MeasureMutation(Proto.FromFunction.Types.PersistedValueMutation mutation, ref Sizes sizes)
    {
        var slot = sizes.Reserve();
        var size = VarintField(1, (long)mutation.MutationType) + StringSize(2, mutation.StateName)
            + (mutation.StateValue is { } value ? Nested(3, MeasureTypedValue(value, ref sizes)) : 0);
        return sizes.Values[slot] = size;
    }

    private static int MeasureInvocation(Proto.FromFunction.Types.Invocation invocation, ref Sizes sizes)
    {
        var slot = sizes.Reserve();
        var size = (invocation.Target is { } target ? Nested(1, MeasureAddress(target, ref sizes)) : 0)
            + (invocation.Argument is { } argument ? Nested(2, MeasureTypedValue(argument, ref sizes)) : 0);
        return sizes.Values[slot] = size;
    }

    private static int MeasureDelayed(Proto.FromFunction.Types.DelayedInvocation delayed, ref Sizes sizes)
    {
        var slot = sizes.Reserve();
        var size = VarintField(1, delayed.DelayInMs)
            + (delayed.Target is { } target ? Nested(2, MeasureAddress(target, ref sizes)) : 0)
            + (delayed.Argument is { } argument ? Nested(3, MeasureTypedValue(argument, ref sizes)) : 0)
            + ProtoWire.BoolSize(10, delayed.IsCancellationRequest)
            + StringSize(11, delayed.CancellationToken);
        return sizes.Values[slot] = size;
    }

    private static int MeasureEgress(Proto.FromFunction.Types.EgressMessage egress, ref Sizes sizes)
    {
        var slot = sizes.Reserve();
        var size = StringSize(1, egress.EgressNamespace) + StringSize(2, egress.EgressType)
            + (egress.Argument is { } argument ? Nested(3, MeasureTypedValue(argument, ref sizes)) : 0);
        return sizes.Values[slot] = size;
    }

    private static int MeasureIncomplete(Proto.FromFunction.Types.IncompleteInvocationContext incomplete, ref Sizes sizes)
    {
        var slot = sizes.Reserve();
        var size = 0;
        foreach (var spec in incomplete.MissingValues)
        {
            size += Nested(1, MeasureSpec(spec, ref sizes));
        }

        return sizes.Values[slot] = size;
    }

    private static int MeasureSpec(Proto.FromFunction.Types.PersistedValueSpec spec, ref Sizes sizes)
    {
        var slot = sizes.Reserve();
        var size = StringSize(1, spec.StateName)
            + (spec.ExpirationSpec is { } expiration ? Nested(2, MeasureExpiration(expiration, ref sizes)) : 0)
            + StringSize(3, spec.TypeTypename);
        return sizes.Values[slot] = size;
    }

    private static int MeasureExpiration(Proto.FromFunction.Types.ExpirationSpec expiration, ref Sizes sizes)
    {
        var slot = sizes.Reserve();
        return sizes.Values[slot] = VarintField(1, (long)expiration.Mode) + VarintField(2, expiration.ExpireAfterMillis);
    }

    private static int MeasureAddress(Proto.Address address, ref Sizes sizes)
    {
        var slot = sizes.Reserve();
        return sizes.Values[slot] = StringSize(1, address.Namespace) + StringSize(2, address.Type) + StringSize(3, address.Id);
    }

    private static int MeasureTypedValue(Proto.TypedValue value, ref Sizes sizes)
    {
        var slot = sizes.Reserve();
        return sizes.Values[slot] = StringSize(1, value.Typename) + ProtoWire.BoolSize(2, value.HasValue)
            + ProtoWire.BytesSize(3, value.Value.Length);
    }

    /// <summary>Writes in the order <see cref="Measure"/> visited, taking each message's size from its slot.</summary>
    private ref struct Writer(Span<byte> buffer, int[] sizes)
    {
        private ProtoWriter wire = new(buffer);
        private int next;

        public void FromFunction(Proto.FromFunction reply)
        {
            next++; // The whole reply's size is the caller's.
            switch (reply.ResponseCase)
            {
                case Proto.FromFunction.ResponseOneofCase.InvocationResult:
                    Header(100);
                    Response(reply.InvocationResult);
                    break;
                case Proto.FromFunction.ResponseOneofCase.IncompleteInvocationContext:
                    Header(101);
                    Incomplete(reply.IncompleteInvocationContext);
                    break;
            }
        }

        private void Response(Proto.FromFunction.Types.InvocationResponse response)
        {
            foreach (var mutation in response.StateMutations)
            {
                Header(1);
                VarintField(1, (long)mutation.MutationType);
                String(2, mutation.StateName);
                if (mutation.StateValue is { } value)
                {
                    TypedValue(3, value);
                }
            }

            foreach (var message in response.OutgoingMessages)
            {
                Header(2);
                if (message.Target is { } target)
                {
                    Address(1, target);
                }

                if (message.Argument is { } argument)
                {
                    TypedValue(2, argument);
                }
            }

            foreach (var delayed in response.DelayedInvocations)
            {
                Header(3);
                VarintField(1, delayed.DelayInMs);
                if (delayed.Target is { } target)
                {
                    Address(2, target);
                }

                if (delayed.Argument is { } argument)
                {
                    TypedValue(3, argument);
                }

                wire.Bool(10, delayed.IsCancellationRequest);
                String(11, delayed.CancellationToken);
            }

            foreach (var egress in response.OutgoingEgresses)
            {
                Header(4);
                String(1, egress.EgressNamespace);
                String(2, egress.EgressType);
                if (egress.Argument is { } argument)
                {
                    TypedValue(3, argument);
                }
            }
        }

        private void Incomplete(Proto.FromFunction.Types.IncompleteInvocationContext incomplete)
        {
            foreach (var spec in incomplete.MissingValues)
            {
                Header(1);
                String(1, spec.StateName);
                if (spec.ExpirationSpec is { } expiration)
                {
                    Header(2);
                    VarintField(1, (long)expiration.Mode);
                    VarintField(2, expiration.ExpireAfterMillis);
                }

                String(3, spec.TypeTypename);
            }
        }

        private void Address(int number, Proto.Address address)
        {
            Header(number);
            String(1, address.Namespace);
            String(2, address.Type);
            String(3, address.Id);
        }

        private void TypedValue(int number, Proto.TypedValue value)
        {
            Header(number);
            String(1, value.Typename);
            wire.Bool(2, value.HasValue);
            wire.Bytes(3, value.Value.Span);
        }

        // The key and length of the next nested message, its size from the measuring pass.
        private void Header(int number) => wire.LengthDelimited(number, sizes[next++]);

        private void VarintField(int number, long value) => wire.VarintField(number, value);

        private void String(int number, string value) => wire.String(number, value);
    }
}

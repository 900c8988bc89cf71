using System.Text.Unicode;

namespace FunctionsBench.StateFun;

/// <summary>
/// A <c>FromFunction</c> whose response is an <c>invocation_result</c>, read in place: the parts the driver uses, as
/// offsets into the reply's bytes, with no message objects, strings or copies. <see cref="TryRead"/> accepts only the
/// shape an SDK writes (each field at most once, known fields with their own wire types, valid UTF-8 in every string, no
/// delayed messages); for anything else it returns false and the driver parses the reply with the generated parser and
/// judges it as before, so a reply means the same on either path.
/// </summary>
internal sealed class InvocationResultView
{
    // Field numbers of the request-reply protocol's FromFunction messages.
    private const int FromFunctionInvocationResult = 100;
    private const int ResponseMutations = 1, ResponseOutgoing = 2, ResponseEgresses = 4;
    private const int MutationType = 1, MutationName = 2, MutationValue = 3;
    private const int InvocationTarget = 1, InvocationArgument = 2;
    private const int EgressNamespace = 1, EgressType = 2, EgressArgument = 3;
    private const int AddressNamespace = 1, AddressType = 2, AddressId = 3;
    private const int TypedValueTypename = 1, TypedValueHasValue = 2, TypedValueValue = 3;

    /// <summary>The state mutations, in order.</summary>
    public List<Mutation> Mutations { get; } = [];

    /// <summary>The outgoing messages, in order.</summary>
    public List<Outgoing> Messages { get; } = [];

    /// <summary>The egress messages, in order.</summary>
    public List<Egress> Egresses { get; } = [];

    /// <summary>Reads <paramref name="reply"/> into this view; false (and the view is to be ignored) for any other shape.</summary>
    public bool TryRead(ReadOnlySpan<byte> reply)
    {
        Mutations.Clear();
        Messages.Clear();
        Egresses.Clear();
        var reader = new ProtoReader(reply);
        if (!reader.TryReadKey(out var number, out var wireType) || number != FromFunctionInvocationResult || wireType != ProtoWire.LengthDelimitedType
            || !reader.TryReadLengthDelimited(out var offset, out var length) || !reader.AtEnd)
        {
            return false;
        }

        var response = new ProtoReader(reply, offset, offset + length);
        while (!response.AtEnd)
        {
            if (!response.TryReadKey(out number, out wireType) || wireType != ProtoWire.LengthDelimitedType
                || !response.TryReadLengthDelimited(out offset, out length))
            {
                return false;
            }

            var read = number switch
            {
                ResponseMutations => ReadMutation(reply, offset, length),
                ResponseOutgoing => ReadOutgoing(reply, offset, length),
                ResponseEgresses => ReadEgress(reply, offset, length),
                _ => false, // delayed messages (3) and unknown fields: the generated parser's path
            };
            if (!read)
            {
                return false;
            }
        }

        return true;
    }

    private bool ReadMutation(ReadOnlySpan<byte> reply, int start, int length)
    {
        var reader = new ProtoReader(reply, start, start + length);
        ulong type = 0;
        Slice name = default;
        TypedValue value = default;
        var seen = 0;
        while (!reader.AtEnd)
        {
            if (!reader.TryReadKey(out var number, out var wireType) || !Once(ref seen, number))
            {
                return false;
            }

            var read = (number, wireType) switch
            {
                (MutationType, ProtoWire.VarintType) => reader.TryReadVarint(out type) && type <= 1,
                (MutationName, ProtoWire.LengthDelimitedType) => TryReadString(ref reader, reply, out name),
                (MutationValue, ProtoWire.LengthDelimitedType) => TryReadTypedValue(ref reader, reply, out value),
                _ => false,
            };
            if (!read)
            {
                return false;
            }
        }

        Mutations.Add(new Mutation(type == 0, name, value));
        return true;
    }

    private bool ReadOutgoing(ReadOnlySpan<byte> reply, int start, int length)
    {
        var reader = new ProtoReader(reply, start, start + length);
        AddressSlices? target = null;
        TypedValue argument = default;
        var seen = 0;
        while (!reader.AtEnd)
        {
            if (!reader.TryReadKey(out var number, out var wireType) || !Once(ref seen, number) || wireType != ProtoWire.LengthDelimitedType)
            {
                return false;
            }

            switch (number)
            {
                case InvocationTarget when TryReadAddress(ref reader, reply, out var address):
                    target = address;
                    break;
                case InvocationArgument when TryReadTypedValue(ref reader, reply, out argument):
                    break;
                default:
                    return false;
            }
        }

        Messages.Add(new Outgoing(target, argument));
        return true;
    }

    private bool ReadEgress(ReadOnlySpan<byte> reply, int start, int length)
    {
        var reader = new ProtoReader(reply, start, start + length);
        Slice @namespace = default, type = default;
        TypedValue argument = default;
        var seen = 0;
        while (!reader.AtEnd)
        {
            if (!reader.TryReadKey(out var number, out var wireType) || !Once(ref seen, number) || wireType != ProtoWire.LengthDelimitedType)
            {
                return false;
            }

            var read = number switch
            {
                EgressNamespace => TryReadString(ref reader, reply, out @namespace),
                EgressType => TryReadString(ref reader, reply, out type),
                EgressArgument => TryReadTypedValue(ref reader, reply, out argument),
                _ => false,
            };
            if (!read)
            {
                return false;
            }
        }

        Egresses.Add(new Egress(@namespace, type, argument));
        return true;
    }

    private static bool TryReadAddress(ref ProtoReader outer, ReadOnlySpan<byte> reply, out AddressSlices address)
    {
        address = default;
        if (!outer.TryReadLengthDelimited(out var start, out var length))
        {
            return false;
        }

        var reader = new ProtoReader(reply, start, start + length);
        Slice @namespace = default, type = default, id = default;
        var seen = 0;
        while (!reader.AtEnd)
        {
            if (!reader.TryReadKey(out var number, out var wireType) || !Once(ref seen, number) || wireType != ProtoWire.LengthDelimitedType)
            {
                return false;
            }

            var read = number switch
            {
                AddressNamespace => TryReadString(ref reader, reply, out @namespace),
                AddressType => TryReadString(ref reader, reply, out type),
                AddressId => TryReadString(ref reader, reply, out id),
                _ => false,
            };
            if (!read)
            {
                return false;
            }
        }

        address = new AddressSlices(@namespace, type, id);
        return true;
    }

    private static bool TryReadTypedValue(ref ProtoReader outer, ReadOnlySpan<byte> reply, out TypedValue value)
    {
        value = default;
        if (!outer.TryReadLengthDelimited(out var start, out var length))
        {
            return false;
        }

        var reader = new ProtoReader(reply, start, start + length);
        Slice typename = default, bytes = default;
        ulong hasValue = 0;
        var seen = 0;
        while (!reader.AtEnd)
        {
            if (!reader.TryReadKey(out var number, out var wireType) || !Once(ref seen, number))
            {
                return false;
            }

            var read = (number, wireType) switch
            {
                (TypedValueTypename, ProtoWire.LengthDelimitedType) => TryReadString(ref reader, reply, out typename),
                (TypedValueHasValue, ProtoWire.VarintType) => reader.TryReadVarint(out hasValue) && hasValue <= 1,
                (TypedValueValue, ProtoWire.LengthDelimitedType) => TryReadBytes(ref reader, out bytes),
                _ => false,
            };
            if (!read)
            {
                return false;
            }
        }

        value = new TypedValue(Present: true, typename, hasValue == 1, bytes);
        return true;
    }

    private static bool TryReadString(ref ProtoReader reader, ReadOnlySpan<byte> reply, out Slice slice) =>
        TryReadBytes(ref reader, out slice) && Utf8.IsValid(slice.Of(reply));

    private static bool TryReadBytes(ref ProtoReader reader, out Slice slice)
    {
        var read = reader.TryReadLengthDelimited(out var offset, out var length);
        slice = new Slice(offset, length);
        return read;
    }

    // A singular field seen twice is merged by the generated parser (the last value wins, messages merge): not this path.
    private static bool Once(ref int seen, int number)
    {
        if (number > 31 || (seen & (1 << number)) != 0)
        {
            return false;
        }

        seen |= 1 << number;
        return true;
    }

    /// <summary>A run of the reply's bytes.</summary>
    internal readonly record struct Slice(int Offset, int Length)
    {
        public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> reply) => reply.Slice(Offset, Length);
    }

    /// <summary>A <c>TypedValue</c>; <see cref="Present"/> is false where the field was absent.</summary>
    internal readonly record struct TypedValue(bool Present, Slice Typename, bool HasValue, Slice Value);

    /// <summary>An <c>Address</c>'s three strings.</summary>
    internal readonly record struct AddressSlices(Slice Namespace, Slice Type, Slice Id);

    /// <summary>A <c>PersistedValueMutation</c>: DELETE or MODIFY, the state's name and its new value.</summary>
    internal readonly record struct Mutation(bool IsDelete, Slice Name, TypedValue Value);

    /// <summary>An outgoing <c>Invocation</c>; <see cref="Target"/> is null where the field was absent.</summary>
    internal readonly record struct Outgoing(AddressSlices? Target, TypedValue Argument);

    /// <summary>An <c>EgressMessage</c>.</summary>
    internal readonly record struct Egress(Slice Namespace, Slice Type, TypedValue Argument);
}

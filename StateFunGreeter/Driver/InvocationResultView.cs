using System.Text.Unicode;

namespace FunctionsBench.StateFun;

/// <summary>
/// A <c>FromFunction</c> whose response is an <c>invocation_result</c>, read in place: the parts the driver uses, as
/// offsets into the reply's bytes, with no message objects, strings or copies. <see cref="TryRead"/> accepts only the
/// shape an SDK writes (each field at most once, known fields with their own wire types, valid UTF-8 in every string, no
/// delayed messages); for anything else it returns false, and the driver parses the reply with the generated parser,
/// writes it again in that shape and reads that, so a reply means what the generated parser says it means.
/// </summary>
internal sealed class InvocationResultView
{
    // Field numbers of the request-reply protocol's FromFunction messages.
    private const int FromFunctionInvocationResult = 100;
    private const int ResponseMutations = 1, ResponseOutgoing = 2, ResponseDelayed = 3, ResponseEgresses = 4;
    private const int MutationType = 1, MutationName = 2, MutationValue = 3;
    private const int InvocationTarget = 1, InvocationArgument = 2;
    private const int EgressNamespace = 1, EgressType = 2, EgressArgument = 3;
    private const int AddressNamespace = 1, AddressType = 2, AddressId = 3;

    /// <summary>The state mutations, in order.</summary>
    public List<Mutation> Mutations { get; } = [];

    /// <summary>The outgoing messages, in order.</summary>
    public List<Outgoing> Messages { get; } = [];

    /// <summary>The egress messages, in order.</summary>
    public List<Egress> Egresses { get; } = [];

    /// <summary>How many delayed messages the reply carries (counted only when asked to; the bench delivers none).</summary>
    public int DelayedCount { get; private set; }

    /// <summary>Reads <paramref name="reply"/> into this view; false (and the view is to be ignored) for any other shape.</summary>
    /// <param name="reply">The reply's bytes.</param>
    /// <param name="countDelayed">
    /// Whether delayed messages are counted rather than declined: for a reply that <see cref="FromFunctionEncoder"/>
    /// wrote, whose delayed messages are well formed.
    /// </param>
    public bool TryRead(ReadOnlySpan<byte> reply, bool countDelayed = false)
    {
        Mutations.Clear();
        Messages.Clear();
        Egresses.Clear();
        DelayedCount = 0;
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
                ResponseDelayed when countDelayed => ++DelayedCount > 0,
                ResponseEgresses => ReadEgress(reply, offset, length),
                _ => false, // unknown fields (and delayed messages in a reply as received): the generated parser's path
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
        var name = ProtoReader.Absent;
        TypedValue value = default;
        var seen = 0;
        while (!reader.AtEnd)
        {
            if (!reader.TryReadKey(out var number, out var wireType) || !ProtoReader.FirstTime(ref seen, number))
            {
                return false;
            }

            var read = (number, wireType) switch
            {
                (MutationType, ProtoWire.VarintType) => reader.TryReadVarint(out type),
                (MutationName, ProtoWire.LengthDelimitedType) => reader.TryReadLengthDelimited(out var offset, out var size) && IsString(reply, name = new FieldRun(offset, size)),
                (MutationValue, ProtoWire.LengthDelimitedType) => reader.TryReadLengthDelimited(out var offset, out var size) && TryReadTypedValue(reply, new FieldRun(offset, size), out value),
                _ => false,
            };
            if (!read)
            {
                return false;
            }
        }

        // An enum is the varint's low 32 bits, as the generated parser reads it; any value but DELETE (0) modifies.
        Mutations.Add(new Mutation((uint)type == 0, name, value));
        return true;
    }

    private bool ReadOutgoing(ReadOnlySpan<byte> reply, int start, int length)
    {
        Span<FieldRun> fields = [ProtoReader.Absent, ProtoReader.Absent];
        AddressSlices? target = null;
        TypedValue argument = default;
        if (!ProtoReader.TryReadFields(reply, start, start + length, fields)
            || (fields[InvocationTarget - 1].Present && !TryReadAddress(reply, fields[InvocationTarget - 1], out target))
            || (fields[InvocationArgument - 1].Present && !TryReadTypedValue(reply, fields[InvocationArgument - 1], out argument)))
        {
            return false;
        }

        Messages.Add(new Outgoing(target, argument));
        return true;
    }

    private bool ReadEgress(ReadOnlySpan<byte> reply, int start, int length)
    {
        Span<FieldRun> fields = [ProtoReader.Absent, ProtoReader.Absent, ProtoReader.Absent];
        TypedValue argument = default;
        if (!ProtoReader.TryReadFields(reply, start, start + length, fields)
            || !IsString(reply, fields[EgressNamespace - 1]) || !IsString(reply, fields[EgressType - 1])
            || (fields[EgressArgument - 1].Present && !TryReadTypedValue(reply, fields[EgressArgument - 1], out argument)))
        {
            return false;
        }

        Egresses.Add(new Egress(fields[EgressNamespace - 1], fields[EgressType - 1], argument));
        return true;
    }

    private static bool TryReadAddress(ReadOnlySpan<byte> reply, FieldRun run, out AddressSlices? address)
    {
        address = null;
        Span<FieldRun> fields = [ProtoReader.Absent, ProtoReader.Absent, ProtoReader.Absent];
        if (!ProtoReader.TryReadFields(reply, run.Offset, run.Offset + run.Length, fields)
            || !IsString(reply, fields[0]) || !IsString(reply, fields[1]) || !IsString(reply, fields[2]))
        {
            return false;
        }

        address = new AddressSlices(fields[AddressNamespace - 1], fields[AddressType - 1], fields[AddressId - 1]);
        return true;
    }

    private static bool TryReadTypedValue(ReadOnlySpan<byte> reply, FieldRun run, out TypedValue value)
    {
        var read = TypedValueReader.TryRead(reply, run, out var typename, out var hasValue, out var bytes);
        value = new TypedValue(Present: read, typename, hasValue, bytes);
        return read;
    }

    // An absent string is the empty one; a present one must be UTF-8, or the generated parser decides.
    private static bool IsString(ReadOnlySpan<byte> reply, FieldRun run) => Utf8.IsValid(run.Of(reply));

    /// <summary>A <c>TypedValue</c>; <see cref="Present"/> is false where the field was absent.</summary>
    internal readonly record struct TypedValue(bool Present, FieldRun Typename, bool HasValue, FieldRun Value);

    /// <summary>An <c>Address</c>'s three strings.</summary>
    internal readonly record struct AddressSlices(FieldRun Namespace, FieldRun Type, FieldRun Id);

    /// <summary>A <c>PersistedValueMutation</c>: DELETE or MODIFY, the state's name and its new value.</summary>
    internal readonly record struct Mutation(bool IsDelete, FieldRun Name, TypedValue Value);

    /// <summary>An outgoing <c>Invocation</c>; <see cref="Target"/> is null where the field was absent.</summary>
    internal readonly record struct Outgoing(AddressSlices? Target, TypedValue Argument);

    /// <summary>An <c>EgressMessage</c>.</summary>
    internal readonly record struct Egress(FieldRun Namespace, FieldRun Type, TypedValue Argument);
}

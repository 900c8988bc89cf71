using System.Text;
using System.Text.Unicode;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>
/// A <c>ToFunction</c>'s invocation batch as the handler uses it: the target, the states and the invocations as runs of
/// one request's bytes, with no message objects or strings. <see cref="Read"/> takes the shape the runtime sends (each
/// field at most once, known fields with their own wire types, valid UTF-8) in place; any other body goes through the
/// generated parser (merged repeats, the last value winning, unknown fields skipped, its errors), whose result is taken
/// over field by field: a body means the same either way.
/// </summary>
internal sealed class InvocationBatch
{
    // Field numbers of the request-reply protocol's ToFunction messages.
    private const int ToFunctionInvocation = 100;
    private const int BatchTarget = 1, BatchState = 2, BatchInvocations = 3;
    private const int PersistedValueName = 1, PersistedValueValue = 2;
    private const int InvocationCaller = 1, InvocationArgument = 2;
    private const int AddressNamespace = 1, AddressType = 2, AddressId = 3;
    private const int TypedValueTypename = 1, TypedValueHasValue = 2, TypedValueValue = 3;

    private InvocationBatch()
    {
    }

    /// <summary>Whether the request carries a batch at all.</summary>
    public bool Present { get; private set; }

    /// <summary>The target address; null where the batch has none.</summary>
    public WireAddress? Target { get; private set; }

    /// <summary>The states the runtime attached, in order.</summary>
    public WireState[] States { get; private set; } = [];

    /// <summary>The invocations, in order.</summary>
    public WireInvocation[] Invocations { get; private set; } = [];

    /// <summary>Reads a request body; the batch refers to <paramref name="body"/>, which must not change while it is used.</summary>
    /// <exception cref="StateFunInvalidRequestException">Malformed or truncated protobuf.</exception>
    public static InvocationBatch Read(ReadOnlyMemory<byte> body)
    {
        var batch = new InvocationBatch();
        if (batch.TryRead(body))
        {
            return batch;
        }

        Proto.ToFunction parsed;
        try
        {
            // The parser that keeps unknown fields: the one that discards them skips some malformed ones without a word.
            parsed = Proto.ToFunction.Parser.ParseFrom(body.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new StateFunInvalidRequestException("The body is not a valid ToFunction protobuf message: " + e.Message, e);
        }

        return Of(parsed);
    }

    /// <summary>The batch of a parsed request.</summary>
    public static InvocationBatch Of(Proto.ToFunction request)
    {
        var batch = new InvocationBatch();
        if (request.Invocation is not { } invocation)
        {
            return batch;
        }

        batch.Present = true;
        batch.Target = invocation.Target is { } target ? AddressOf(target) : null;
        batch.States = [.. invocation.State.Select(state => new WireState(Utf8Of(state.StateName), state.StateValue is { } value ? ValueOf(value) : null))];
        batch.Invocations = [.. invocation.Invocations.Select(call =>
            new WireInvocation(call.Caller is { } caller ? AddressOf(caller) : null, call.Argument is { } argument ? ValueOf(argument) : null))];
        return batch;
    }

    private static WireAddress AddressOf(Proto.Address address) => new(Utf8Of(address.Namespace), Utf8Of(address.Type), Utf8Of(address.Id));

    private static WireValue ValueOf(Proto.TypedValue value) => new(Utf8Of(value.Typename), value.HasValue, value.Value.Memory);

    private static byte[] Utf8Of(string text) => Encoding.UTF8.GetBytes(text);

    private bool TryRead(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        var reader = new ProtoReader(span);
        if (reader.AtEnd)
        {
            return true; // An empty ToFunction: no batch.
        }

        if (!reader.TryReadKey(out var number, out var wireType) || number != ToFunctionInvocation || wireType != ProtoWire.LengthDelimitedType
            || !reader.TryReadLengthDelimited(out var start, out var length) || !reader.AtEnd
            || !TryCount(span, start, length, out var stateCount, out var invocationCount))
        {
            return false;
        }

        // Arrays of the exact size: a batch is read once per request, and lists would grow through two arrays to hold one value.
        var states = stateCount == 0 ? [] : new WireState[stateCount];
        var invocations = invocationCount == 0 ? [] : new WireInvocation[invocationCount];
        var batch = new ProtoReader(span, start, start + length);
        var nextState = 0;
        var nextInvocation = 0;
        WireAddress? target = null;
        while (!batch.AtEnd)
        {
            batch.TryReadKey(out number, out _);
            batch.TryReadLengthDelimited(out var offset, out var size);
            // TryCount has checked every key and length; what is left to check is inside each field.
            switch (number)
            {
                case BatchTarget when TryReadAddress(body, offset, size, out var address):
                    target = address;
                    break;
                case BatchState when TryReadState(body, offset, size, out states[nextState]):
                    nextState++;
                    break;
                case BatchInvocations when TryReadInvocation(body, offset, size, out invocations[nextInvocation]):
                    nextInvocation++;
                    break;
                default:
                    return false;
            }
        }

        Present = true;
        Target = target;
        States = states;
        Invocations = invocations;
        return true;
    }

    // The batch's fields are well formed, of the three known ones, the target at most once; how many states and invocations.
    private static bool TryCount(ReadOnlySpan<byte> span, int start, int length, out int states, out int invocations)
    {
        states = 0;
        invocations = 0;
        var targets = 0;
        var reader = new ProtoReader(span, start, start + length);
        while (!reader.AtEnd)
        {
            if (!reader.TryReadKey(out var number, out var wireType) || wireType != ProtoWire.LengthDelimitedType || !reader.TryReadLengthDelimited(out _, out _))
            {
                return false;
            }

            switch (number)
            {
                case BatchTarget:
                    targets++;
                    break;
                case BatchState:
                    states++;
                    break;
                case BatchInvocations:
                    invocations++;
                    break;
                default:
                    return false;
            }
        }

        return targets <= 1;
    }

    private static bool TryReadState(ReadOnlyMemory<byte> body, int start, int length, out WireState state)
    {
        state = default;
        var reader = new ProtoReader(body.Span, start, start + length);
        ReadOnlyMemory<byte> name = default;
        WireValue? value = null;
        var seen = 0;
        while (!reader.AtEnd)
        {
            if (!TryReadLengthDelimited(ref reader, ref seen, out var number, out var offset, out var size))
            {
                return false;
            }

            switch (number)
            {
                case PersistedValueName when TryString(body, offset, size, out name):
                    break;
                case PersistedValueValue when TryReadValue(body, offset, size, out var read):
                    value = read;
                    break;
                default:
                    return false;
            }
        }

        state = new WireState(name, value);
        return true;
    }

    private static bool TryReadInvocation(ReadOnlyMemory<byte> body, int start, int length, out WireInvocation invocation)
    {
        invocation = default;
        var reader = new ProtoReader(body.Span, start, start + length);
        WireAddress? caller = null;
        WireValue? argument = null;
        var seen = 0;
        while (!reader.AtEnd)
        {
            if (!TryReadLengthDelimited(ref reader, ref seen, out var number, out var offset, out var size))
            {
                return false;
            }

            switch (number)
            {
                case InvocationCaller when TryReadAddress(body, offset, size, out var address):
                    caller = address;
                    break;
                case InvocationArgument when TryReadValue(body, offset, size, out var value):
                    argument = value;
                    break;
                default:
                    return false;
            }
        }

        invocation = new WireInvocation(caller, argument);
        return true;
    }

    private static bool TryReadAddress(ReadOnlyMemory<byte> body, int start, int length, out WireAddress address)
    {
        address = default;
        var reader = new ProtoReader(body.Span, start, start + length);
        ReadOnlyMemory<byte> @namespace = default, type = default, id = default;
        var seen = 0;
        while (!reader.AtEnd)
        {
            if (!TryReadLengthDelimited(ref reader, ref seen, out var number, out var offset, out var size))
            {
                return false;
            }

            var read = number switch
            {
                AddressNamespace => TryString(body, offset, size, out @namespace),
                AddressType => TryString(body, offset, size, out type),
                AddressId => TryString(body, offset, size, out id),
                _ => false,
            };
            if (!read)
            {
                return false;
            }
        }

        address = new WireAddress(@namespace, type, id);
        return true;
    }

    private static bool TryReadValue(ReadOnlyMemory<byte> body, int start, int length, out WireValue value)
    {
        value = default;
        var reader = new ProtoReader(body.Span, start, start + length);
        ReadOnlyMemory<byte> typename = default, bytes = default;
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
                (TypedValueTypename, ProtoWire.LengthDelimitedType) => reader.TryReadLengthDelimited(out var offset, out var size) && TryString(body, offset, size, out typename),
                (TypedValueHasValue, ProtoWire.VarintType) => reader.TryReadVarint(out hasValue) && hasValue <= 1,
                (TypedValueValue, ProtoWire.LengthDelimitedType) => reader.TryReadLengthDelimited(out var offset, out var size) && Slice(body, offset, size, out bytes),
                _ => false,
            };
            if (!read)
            {
                return false;
            }
        }

        value = new WireValue(typename, hasValue == 1, bytes);
        return true;
    }

    // A singular message or string field, seen for the first time.
    private static bool TryReadLengthDelimited(ref ProtoReader reader, ref int seen, out int number, out int offset, out int length)
    {
        offset = 0;
        length = 0;
        return reader.TryReadKey(out number, out var wireType) && Once(ref seen, number) && wireType == ProtoWire.LengthDelimitedType
            && reader.TryReadLengthDelimited(out offset, out length);
    }

    private static bool TryString(ReadOnlyMemory<byte> body, int offset, int length, out ReadOnlyMemory<byte> utf8) =>
        Slice(body, offset, length, out utf8) && Utf8.IsValid(utf8.Span);

    private static bool Slice(ReadOnlyMemory<byte> body, int offset, int length, out ReadOnlyMemory<byte> slice)
    {
        slice = body.Slice(offset, length);
        return true;
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
}

/// <summary>An <c>Address</c> as UTF-8.</summary>
internal readonly record struct WireAddress(ReadOnlyMemory<byte> Namespace, ReadOnlyMemory<byte> Type, ReadOnlyMemory<byte> Id)
{
    public Address ToAddress() => new(TypeName.Of(Decode(Namespace), Decode(Type)), Decode(Id));

    public static string Decode(ReadOnlyMemory<byte> utf8) => utf8.IsEmpty ? string.Empty : Encoding.UTF8.GetString(utf8.Span);
}

/// <summary>A <c>TypedValue</c>: its typename as UTF-8, whether it holds a value, and the value's bytes.</summary>
internal readonly record struct WireValue(ReadOnlyMemory<byte> Typename, bool HasValue, ReadOnlyMemory<byte> Value);

/// <summary>A <c>PersistedValue</c>: the state's name as UTF-8 and its value (null: the field was absent).</summary>
internal readonly record struct WireState(ReadOnlyMemory<byte> Name, WireValue? Value);

/// <summary>An <c>Invocation</c>: its caller and its argument (null: the field was absent).</summary>
internal readonly record struct WireInvocation(WireAddress? Caller, WireValue? Argument);

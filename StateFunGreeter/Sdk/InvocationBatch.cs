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
        Span<FieldRun> fields = [ProtoReader.Absent, ProtoReader.Absent];
        WireValue? value = null;
        if (!ProtoReader.TryReadFields(body.Span, start, start + length, fields) || !TryString(body, fields[PersistedValueName - 1], out var name)
            || (fields[PersistedValueValue - 1] is { Present: true } run && !TryReadValue(body, run.Offset, run.Length, out value)))
        {
            return false;
        }

        state = new WireState(name, value);
        return true;
    }

    private static bool TryReadInvocation(ReadOnlyMemory<byte> body, int start, int length, out WireInvocation invocation)
    {
        invocation = default;
        Span<FieldRun> fields = [ProtoReader.Absent, ProtoReader.Absent];
        WireAddress? caller = null;
        WireValue? argument = null;
        if (!ProtoReader.TryReadFields(body.Span, start, start + length, fields)
            || (fields[InvocationCaller - 1] is { Present: true } from && !TryReadAddress(body, from.Offset, from.Length, out caller))
            || (fields[InvocationArgument - 1] is { Present: true } run && !TryReadValue(body, run.Offset, run.Length, out argument)))
        {
            return false;
        }

        invocation = new WireInvocation(caller, argument);
        return true;
    }

    private static bool TryReadAddress(ReadOnlyMemory<byte> body, int start, int length, out WireAddress? address)
    {
        address = null;
        Span<FieldRun> fields = [ProtoReader.Absent, ProtoReader.Absent, ProtoReader.Absent];
        if (!ProtoReader.TryReadFields(body.Span, start, start + length, fields)
            || !TryString(body, fields[AddressNamespace - 1], out var @namespace) || !TryString(body, fields[AddressType - 1], out var type)
            || !TryString(body, fields[AddressId - 1], out var id))
        {
            return false;
        }

        address = new WireAddress(@namespace, type, id);
        return true;
    }

    private static bool TryReadValue(ReadOnlyMemory<byte> body, int start, int length, out WireValue? value)
    {
        value = null;
        if (!TypedValueReader.TryRead(body.Span, new FieldRun(start, length), out var typename, out var hasValue, out var bytes))
        {
            return false;
        }

        value = new WireValue(Of(body, typename), hasValue, Of(body, bytes));
        return true;
    }

    private static ReadOnlyMemory<byte> Of(ReadOnlyMemory<byte> body, FieldRun run) => run.Present ? body.Slice(run.Offset, run.Length) : default;

    // An absent string is the empty one; a present one must be UTF-8, or the generated parser decides.
    private static bool TryString(ReadOnlyMemory<byte> body, FieldRun run, out ReadOnlyMemory<byte> utf8)
    {
        utf8 = Of(body, run);
        return Utf8.IsValid(utf8.Span);
    }
}

/// <summary>An <c>Address</c> as UTF-8.</summary>
internal readonly record struct WireAddress(ReadOnlyMemory<byte> Namespace, ReadOnlyMemory<byte> Type, ReadOnlyMemory<byte> Id)
{
    public Address ToAddress() => new(TypeName.Of(WireText.Decode(Namespace), WireText.Decode(Type)), WireText.Decode(Id));
}

/// <summary>A protocol string as the generated code would have it: its UTF-8 decoded, "" when absent.</summary>
internal static class WireText
{
    public static string Decode(ReadOnlyMemory<byte> utf8) => utf8.IsEmpty ? string.Empty : Encoding.UTF8.GetString(utf8.Span);
}

/// <summary>A <c>TypedValue</c>: its typename as UTF-8, whether it holds a value, and the value's bytes.</summary>
internal readonly record struct WireValue(ReadOnlyMemory<byte> Typename, bool HasValue, ReadOnlyMemory<byte> Value);

/// <summary>A <c>PersistedValue</c>: the state's name as UTF-8 and its value (null: the field was absent).</summary>
internal readonly record struct WireState(ReadOnlyMemory<byte> Name, WireValue? Value);

/// <summary>An <c>Invocation</c>: its caller and its argument (null: the field was absent).</summary>
internal readonly record struct WireInvocation(WireAddress? Caller, WireValue? Argument);

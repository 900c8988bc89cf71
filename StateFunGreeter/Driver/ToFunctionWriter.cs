using System.Text;

namespace FunctionsBench.StateFun;

/// <summary>
/// Encodes the driver's one-invocation <c>ToFunction</c> requests straight to bytes, from parts that are encoded once
/// per chunk (addresses, state names, typenames, the login). Building the protobuf object graph and serializing it
/// cost about as much per request as the greeter's whole handler; the bytes are the same as
/// <c>ToFunction.ToByteArray()</c> of that graph (fields in number order, defaults omitted).
/// </summary>
internal static class ToFunctionWriter
{
    // Field numbers of the request-reply protocol's messages.
    private const int AddressNamespace = 1, AddressType = 2, AddressId = 3;
    private const int BatchTarget = 1, BatchState = 2, BatchInvocation = 3;
    private const int PersistedValueName = 1, PersistedValueValue = 2;
    private const int InvocationCaller = 1, InvocationArgument = 2;
    private const int TypedValueTypename = 1, TypedValueHasValue = 2, TypedValueValue = 3;
    private const int ToFunctionInvocation = 100;

    /// <summary>The fields of an <c>Address</c> message (no tag or length of its own).</summary>
    public static byte[] EncodeAddress(string @namespace, string type, string id)
    {
        var size = ProtoWire.StringSize(AddressNamespace, @namespace) + ProtoWire.StringSize(AddressType, type) + ProtoWire.StringSize(AddressId, id);
        var bytes = new byte[size];
        var writer = new ProtoWriter(bytes);
        writer.String(AddressNamespace, @namespace);
        writer.String(AddressType, type);
        writer.String(AddressId, id);
        return bytes;
    }

    /// <summary>The fields of a <c>TypedValue</c> message (no tag or length of its own).</summary>
    public static byte[] EncodeTypedValue(ReadOnlySpan<byte> typename, bool hasValue, ReadOnlySpan<byte> value)
    {
        var bytes = new byte[TypedValueSize(typename.Length, hasValue, value.Length)];
        var writer = new ProtoWriter(bytes);
        TypedValue(ref writer, typename, hasValue, value);
        return bytes;
    }

    /// <summary>
    /// A whole <c>ToFunction</c>: one invocation of <paramref name="argument"/> (an encoded TypedValue) for
    /// <paramref name="target"/> (an encoded Address) from <paramref name="caller"/> (none when empty), with one
    /// <c>PersistedValue</c> per state.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> target, ReadOnlySpan<byte> caller, ReadOnlySpan<byte> argument, ReadOnlySpan<State> states)
    {
        var batchSize = ProtoWire.LengthDelimitedSize(BatchTarget, target.Length)
            + ProtoWire.LengthDelimitedSize(BatchInvocation, Invocation(caller.Length, argument.Length));
        foreach (var state in states)
        {
            batchSize += ProtoWire.LengthDelimitedSize(BatchState, PersistedValue(state));
        }

        var bytes = new byte[ProtoWire.LengthDelimitedSize(ToFunctionInvocation, batchSize)];
        var writer = new ProtoWriter(bytes);
        writer.LengthDelimited(ToFunctionInvocation, batchSize);
        writer.LengthDelimited(BatchTarget, target.Length);
        writer.Raw(target);
        foreach (var state in states)
        {
            writer.LengthDelimited(BatchState, PersistedValue(state));
            writer.Bytes(PersistedValueName, state.Name);
            if (state.Value is { } value)
            {
                writer.LengthDelimited(PersistedValueValue, TypedValueSize(state.TypeName.Length, hasValue: true, value.Length));
                TypedValue(ref writer, state.TypeName, hasValue: true, value);
            }
        }

        writer.LengthDelimited(BatchInvocation, Invocation(caller.Length, argument.Length));
        writer.Bytes(InvocationCaller, caller);
        writer.LengthDelimited(InvocationArgument, argument.Length);
        writer.Raw(argument);
        return bytes;
    }

    /// <summary>UTF-8 bytes of a protocol string.</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static int PersistedValue(State state) =>
        ProtoWire.BytesSize(PersistedValueName, state.Name.Length)
        + (state.Value is { } value ? ProtoWire.LengthDelimitedSize(PersistedValueValue, TypedValueSize(state.TypeName.Length, hasValue: true, value.Length)) : 0);

    // An empty caller means an ingress message: the field is left out, as the runtime does.
    private static int Invocation(int callerSize, int argumentSize) =>
        ProtoWire.BytesSize(InvocationCaller, callerSize) + ProtoWire.LengthDelimitedSize(InvocationArgument, argumentSize);

    private static int TypedValueSize(int typenameSize, bool hasValue, int valueSize) =>
        ProtoWire.BytesSize(TypedValueTypename, typenameSize) + ProtoWire.BoolSize(TypedValueHasValue, hasValue) + ProtoWire.BytesSize(TypedValueValue, valueSize);

    private static void TypedValue(ref ProtoWriter writer, ReadOnlySpan<byte> typename, bool hasValue, ReadOnlySpan<byte> value)
    {
        writer.Bytes(TypedValueTypename, typename);
        writer.Bool(TypedValueHasValue, hasValue);
        writer.Bytes(TypedValueValue, value);
    }

    /// <summary>One state attached to the request: its name and typename in UTF-8, and its value (null: none).</summary>
    internal readonly record struct State(byte[] Name, byte[] TypeName, byte[]? Value);
}

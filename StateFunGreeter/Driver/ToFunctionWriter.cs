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
    // Field tags: (number << 3) | wire type 2 (length-delimited), or 0 (varint) for has_value.
    private const byte AddressNamespaceTag = 0x0a;
    private const byte AddressTypeTag = 0x12;
    private const byte AddressIdTag = 0x1a;
    private const byte BatchTargetTag = 0x0a;
    private const byte BatchStateTag = 0x12;
    private const byte BatchInvocationTag = 0x1a;
    private const byte PersistedValueNameTag = 0x0a;
    private const byte PersistedValueValueTag = 0x12;
    private const byte InvocationCallerTag = 0x0a;
    private const byte InvocationArgumentTag = 0x12;
    private const byte TypedValueTypenameTag = 0x0a;
    private const byte TypedValueHasValueTag = 0x10;
    private const byte TypedValueValueTag = 0x1a;

    // ToFunction.invocation is field 100: varint (100 << 3) | 2 = 802 = a2 06.
    private static ReadOnlySpan<byte> InvocationBatchTag => [0xa2, 0x06];

    /// <summary>The fields of an <c>Address</c> message (no tag or length of its own).</summary>
    public static byte[] EncodeAddress(string @namespace, string type, string id)
    {
        var size = StringField(@namespace) + StringField(type) + StringField(id);
        var bytes = new byte[size];
        var writer = new Writer(bytes);
        writer.String(AddressNamespaceTag, @namespace);
        writer.String(AddressTypeTag, type);
        writer.String(AddressIdTag, id);
        return bytes;
    }

    /// <summary>The fields of a <c>TypedValue</c> message (no tag or length of its own).</summary>
    public static byte[] EncodeTypedValue(ReadOnlySpan<byte> typename, bool hasValue, ReadOnlySpan<byte> value)
    {
        var bytes = new byte[TypedValueSize(typename.Length, hasValue, value.Length)];
        var writer = new Writer(bytes);
        writer.TypedValue(typename, hasValue, value);
        return bytes;
    }

    /// <summary>
    /// A whole <c>ToFunction</c>: one invocation of <paramref name="argument"/> (an encoded TypedValue) for
    /// <paramref name="target"/> (an encoded Address) from <paramref name="caller"/> (none when empty), with one
    /// <c>PersistedValue</c> per state.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> target, ReadOnlySpan<byte> caller, ReadOnlySpan<byte> argument, ReadOnlySpan<State> states)
    {
        var batchSize = Field(target.Length) + Field(Invocation(caller.Length, argument.Length));
        foreach (var state in states)
        {
            batchSize += Field(PersistedValue(state));
        }

        var bytes = new byte[InvocationBatchTag.Length + VarintSize((uint)batchSize) + batchSize];
        var writer = new Writer(bytes);
        writer.Raw(InvocationBatchTag);
        writer.Varint((uint)batchSize);
        writer.Bytes(BatchTargetTag, target);
        foreach (var state in states)
        {
            writer.Tag(BatchStateTag, PersistedValue(state));
            writer.Bytes(PersistedValueNameTag, state.Name);
            if (state.Value is { } value)
            {
                writer.Tag(PersistedValueValueTag, TypedValueSize(state.TypeName.Length, hasValue: true, value.Length));
                writer.TypedValue(state.TypeName, hasValue: true, value);
            }
        }

        writer.Tag(BatchInvocationTag, Invocation(caller.Length, argument.Length));
        if (!caller.IsEmpty)
        {
            writer.Bytes(InvocationCallerTag, caller);
        }

        writer.Bytes(InvocationArgumentTag, argument);
        return bytes;
    }

    /// <summary>UTF-8 bytes of a protocol string.</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static int PersistedValue(State state) =>
        Field(state.Name.Length) + (state.Value is { } value ? Field(TypedValueSize(state.TypeName.Length, hasValue: true, value.Length)) : 0);

    // An empty caller means an ingress message: the field is left out, as the runtime does.
    private static int Invocation(int callerSize, int argumentSize) => (callerSize == 0 ? 0 : Field(callerSize)) + Field(argumentSize);

    private static int TypedValueSize(int typenameSize, bool hasValue, int valueSize) =>
        (typenameSize == 0 ? 0 : Field(typenameSize)) + (hasValue ? 2 : 0) + (valueSize == 0 ? 0 : Field(valueSize));

    private static int StringField(string text) => text.Length == 0 ? 0 : Field(Encoding.UTF8.GetByteCount(text));

    // Tag (one byte for field numbers below 16), length, payload.
    private static int Field(int size) => 1 + VarintSize((uint)size) + size;

    private static int VarintSize(uint value) => value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;

    /// <summary>One state attached to the request: its name and typename in UTF-8, and its value (null: none).</summary>
    internal readonly record struct State(byte[] Name, byte[] TypeName, byte[]? Value);

    private ref struct Writer(Span<byte> buffer)
    {
        private readonly Span<byte> buffer = buffer;
        private int position;

        public void Raw(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(buffer[position..]);
            position += bytes.Length;
        }

        public void Varint(uint value)
        {
            while (value >= 0x80)
            {
                buffer[position++] = (byte)(value | 0x80);
                value >>= 7;
            }

            buffer[position++] = (byte)value;
        }

        public void Tag(byte tag, int length)
        {
            buffer[position++] = tag;
            Varint((uint)length);
        }

        public void Bytes(byte tag, ReadOnlySpan<byte> bytes)
        {
            Tag(tag, bytes.Length);
            Raw(bytes);
        }

        public void String(byte tag, string text)
        {
            if (text.Length == 0)
            {
                return;
            }

            Tag(tag, Encoding.UTF8.GetByteCount(text));
            position += Encoding.UTF8.GetBytes(text, buffer[position..]);
        }

        public void TypedValue(ReadOnlySpan<byte> typename, bool hasValue, ReadOnlySpan<byte> value)
        {
            if (!typename.IsEmpty)
            {
                Bytes(TypedValueTypenameTag, typename);
            }

            if (hasValue)
            {
                buffer[position++] = TypedValueHasValueTag;
                buffer[position++] = 1;
            }

            if (!value.IsEmpty)
            {
                Bytes(TypedValueValueTag, value);
            }
        }
    }
}

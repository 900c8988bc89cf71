using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;

namespace FunctionsBench.StateFun;

/// <summary>
/// StateFun's built-in <c>io.statefun.types/*</c> types and factories for JSON and protobuf custom types.
/// </summary>
/// <remarks>
/// Built-in values are their protobuf wrapper messages (<c>IntWrapper</c>, ...). A zero, false or empty value is
/// therefore zero bytes, still sent with <c>has_value=true</c>, exactly as the Java SDK writes it. The encoders
/// write the one-field wrapper directly, and the decoders fall back to the full protobuf parser for any other
/// valid encoding (unknown fields, repeated fields, non-canonical varints).
/// </remarks>
public static class Types
{
    private const string Namespace = "io.statefun.types";

    /// <summary><c>io.statefun.types/int</c>: <c>IntWrapper{sfixed32 value=1}</c>.</summary>
    public static StateFunType<int> Int { get; } = new IntType();

    /// <summary><c>io.statefun.types/long</c>: <c>LongWrapper{sfixed64 value=1}</c>.</summary>
    public static StateFunType<long> Long { get; } = new LongType();

    /// <summary><c>io.statefun.types/string</c>: <c>StringWrapper{string value=1}</c>.</summary>
    public static StateFunType<string> String { get; } = new StringType();

    /// <summary><c>io.statefun.types/bool</c>: <c>BooleanWrapper{bool value=1}</c>.</summary>
    public static StateFunType<bool> Bool { get; } = new BoolType();

    /// <summary><c>io.statefun.types/float</c>: <c>FloatWrapper{float value=1}</c>.</summary>
    public static StateFunType<float> Float { get; } = new FloatType();

    /// <summary><c>io.statefun.types/double</c>: <c>DoubleWrapper{double value=1}</c>.</summary>
    public static StateFunType<double> Double { get; } = new DoubleType();

    /// <summary>A JSON type: the value is raw UTF-8 JSON with no wrapper, as the JS SDK's <c>jsonType</c> sends it.</summary>
    /// <param name="typeName">The typename, e.g. <c>greeter.types/UserLogin</c>.</param>
    /// <param name="typeInfo">Source-generated metadata, so no reflection runs per message.</param>
    public static StateFunType<T> Json<T>(TypeName typeName, JsonTypeInfo<T> typeInfo) => new JsonType<T>(typeName, typeInfo);

    /// <summary>A JSON type serialized with the given options (reflection-based unless the options carry a resolver).</summary>
    /// <param name="typeName">The typename.</param>
    /// <param name="options">Serializer options, made read-only by this call; <see cref="JsonSerializerOptions.Default"/> when null.</param>
    public static StateFunType<T> Json<T>(TypeName typeName, JsonSerializerOptions? options = null)
    {
        options ??= JsonSerializerOptions.Default;
        options.MakeReadOnly(populateMissingResolver: true);
        return new JsonType<T>(typeName, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
    }

    /// <summary>A protobuf type: the value is the message's own serialized bytes.</summary>
    /// <param name="typeName">The typename, conventionally <c>namespace/full.proto.MessageName</c>.</param>
    public static StateFunType<T> Protobuf<T>(TypeName typeName)
        where T : IMessage<T>, new() => new ProtobufType<T>(typeName);

    private static TypeName BuiltIn(string name) => TypeName.Of(Namespace, name);

    // Tags of field 1 in each wire type: fixed32 = 5, fixed64 = 1, length-delimited = 2, varint = 0.
    private const byte Fixed32Tag = 0x0d;
    private const byte Fixed64Tag = 0x09;
    private const byte LengthDelimitedTag = 0x0a;
    private const byte VarintTag = 0x08;

    private static ReadOnlyMemory<byte> Fixed32(uint bits) => Fixed(Fixed32Tag, bits, width: 4);

    private static ReadOnlyMemory<byte> Fixed64(ulong bits) => Fixed(Fixed64Tag, bits, width: 8);

    // A wrapper message whose field 1 is fixed-width: tag, then the value's low `width` bytes, little-endian. Zero is
    // proto3's default and is written as no field at all, as protobuf itself writes it.
    private static ReadOnlyMemory<byte> Fixed(byte tag, ulong bits, int width)
    {
        if (bits == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        Span<byte> wide = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(wide, bits);
        var bytes = new byte[1 + width];
        bytes[0] = tag;
        wide[..width].CopyTo(bytes.AsSpan(1));
        return bytes;
    }

    private static bool TryReadFixed32(ReadOnlySpan<byte> bytes, out uint bits)
    {
        bool read = TryReadFixed(bytes, Fixed32Tag, width: 4, out ulong wide);
        bits = (uint)wide;
        return read;
    }

    private static bool TryReadFixed64(ReadOnlySpan<byte> bytes, out ulong bits) => TryReadFixed(bytes, Fixed64Tag, width: 8, out bits);

    // The fast path for what Fixed wrote; false (and the caller parses the wrapper in full) for anything else but empty.
    private static bool TryReadFixed(ReadOnlySpan<byte> bytes, byte tag, int width, out ulong bits)
    {
        if (bytes.Length == 1 + width && bytes[0] == tag)
        {
            Span<byte> wide = stackalloc byte[8];
            wide.Clear();
            bytes[1..].CopyTo(wide);
            bits = BinaryPrimitives.ReadUInt64LittleEndian(wide);
            return true;
        }

        bits = 0;
        return bytes.IsEmpty;
    }

    private sealed class IntType() : StateFunType<int>(BuiltIn("int"))
    {
        public override ReadOnlyMemory<byte> Serialize(int value) => Fixed32((uint)value);

        public override int Deserialize(ReadOnlySpan<byte> bytes) =>
            TryReadFixed32(bytes, out var bits) ? (int)bits : IntWrapper.Parser.ParseFrom(bytes).Value;
    }

    private sealed class LongType() : StateFunType<long>(BuiltIn("long"))
    {
        public override ReadOnlyMemory<byte> Serialize(long value) => Fixed64((ulong)value);

        public override long Deserialize(ReadOnlySpan<byte> bytes) =>
            TryReadFixed64(bytes, out var bits) ? (long)bits : LongWrapper.Parser.ParseFrom(bytes).Value;
    }

    private sealed class FloatType() : StateFunType<float>(BuiltIn("float"))
    {
        // Compares bits, not values, so -0.0 keeps its sign.
        public override ReadOnlyMemory<byte> Serialize(float value) => Fixed32(BitConverter.SingleToUInt32Bits(value));

        public override float Deserialize(ReadOnlySpan<byte> bytes) =>
            TryReadFixed32(bytes, out var bits) ? BitConverter.UInt32BitsToSingle(bits) : FloatWrapper.Parser.ParseFrom(bytes).Value;
    }

    private sealed class DoubleType() : StateFunType<double>(BuiltIn("double"))
    {
        public override ReadOnlyMemory<byte> Serialize(double value) => Fixed64(BitConverter.DoubleToUInt64Bits(value));

        public override double Deserialize(ReadOnlySpan<byte> bytes) =>
            TryReadFixed64(bytes, out var bits) ? BitConverter.UInt64BitsToDouble(bits) : DoubleWrapper.Parser.ParseFrom(bytes).Value;
    }

    private sealed class BoolType() : StateFunType<bool>(BuiltIn("bool"))
    {
        private static readonly byte[] True = [VarintTag, 1];

        public override ReadOnlyMemory<byte> Serialize(bool value) => value ? True : ReadOnlyMemory<byte>.Empty;

        public override bool Deserialize(ReadOnlySpan<byte> bytes) => bytes switch
        {
            [] => false,
            [VarintTag, 0] => false,
            [VarintTag, 1] => true,
            _ => BooleanWrapper.Parser.ParseFrom(bytes).Value,
        };
    }

    private sealed class StringType() : StateFunType<string>(BuiltIn("string"))
    {
        public override ReadOnlyMemory<byte> Serialize(string value)
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Length == 0)
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            var length = Encoding.UTF8.GetByteCount(value);
            var bytes = new byte[1 + CodedOutputStream.ComputeLengthSize(length) + length];
            bytes[0] = LengthDelimitedTag;
            var position = 1;
            for (var remaining = (uint)length; ; remaining >>= 7)
            {
                if (remaining < 0x80)
                {
                    bytes[position++] = (byte)remaining;
                    break;
                }

                bytes[position++] = (byte)(remaining | 0x80);
            }

            Encoding.UTF8.GetBytes(value, bytes.AsSpan(position));
            return bytes;
        }

        public override string Deserialize(ReadOnlySpan<byte> bytes) =>
            bytes.IsEmpty ? string.Empty : StringWrapper.Parser.ParseFrom(bytes).Value;
    }

    private sealed class JsonType<T>(TypeName typeName, JsonTypeInfo<T> typeInfo) : StateFunType<T>(typeName)
    {
        public override ReadOnlyMemory<byte> Serialize(T value) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

        public override T Deserialize(ReadOnlySpan<byte> bytes) =>
            JsonSerializer.Deserialize(bytes, typeInfo)
            ?? throw new JsonException($"A {TypeName} value cannot be JSON null.");
    }

    private sealed class ProtobufType<T>(TypeName typeName) : StateFunType<T>(typeName)
        where T : IMessage<T>, new()
    {
        private readonly MessageParser<T> parser = new(() => new T());

        public override ReadOnlyMemory<byte> Serialize(T value) => value.ToByteArray();

        public override T Deserialize(ReadOnlySpan<byte> bytes) => parser.ParseFrom(bytes);
    }
}

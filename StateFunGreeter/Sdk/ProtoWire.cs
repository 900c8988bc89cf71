using System.Text;

namespace FunctionsBench.StateFun;

/// <summary>
/// Sizes in the protobuf wire format, for encoders that measure a message before they write it: a field's key is
/// <c>(number &lt;&lt; 3) | wire type</c> as a varint, a length-delimited field is its key, its length as a varint and its bytes.
/// Fields holding their type's default (0, empty) are left out, as the generated code leaves them out.
/// </summary>
public static class ProtoWire
{
    /// <summary>Wire type of varints (integers, enums, bools).</summary>
    public const int VarintType = 0;

    /// <summary>Wire type of length-delimited fields (strings, bytes, nested messages).</summary>
    public const int LengthDelimitedType = 2;

    /// <summary>The key of field <paramref name="number"/> with <paramref name="wireType"/>.</summary>
    public static uint Key(int number, int wireType) => ((uint)number << 3) | (uint)wireType;

    /// <summary>Bytes of <paramref name="value"/> as a varint (a negative int64 is ten).</summary>
    public static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    /// <summary>Bytes of field <paramref name="number"/>'s key.</summary>
    public static int KeySize(int number) => VarintSize(Key(number, VarintType));

    /// <summary>Bytes of a length-delimited field of <paramref name="length"/> bytes, key and length included.</summary>
    public static int LengthDelimitedSize(int number, int length) => KeySize(number) + VarintSize((uint)length) + length;

    /// <summary>Bytes of a string field; 0 when empty (left out).</summary>
    public static int StringSize(int number, string value) =>
        value.Length == 0 ? 0 : LengthDelimitedSize(number, Encoding.UTF8.GetByteCount(value));

    /// <summary>Bytes of a bytes field; 0 when empty (left out).</summary>
    public static int BytesSize(int number, int length) => length == 0 ? 0 : LengthDelimitedSize(number, length);

    /// <summary>Bytes of an int64 or enum field; 0 when 0 (left out).</summary>
    public static int VarintFieldSize(int number, long value) => value == 0 ? 0 : KeySize(number) + VarintSize((ulong)value);

    /// <summary>Bytes of a bool field; 0 when false (left out).</summary>
    public static int BoolSize(int number, bool value) => value ? KeySize(number) + 1 : 0;
}

/// <summary>
/// Writes protobuf fields into a buffer that <see cref="ProtoWire"/>'s sizes measured, front to back, without
/// checks beyond the span's own. Default values are left out, as <see cref="ProtoWire"/> counts them.
/// </summary>
public ref struct ProtoWriter(Span<byte> buffer)
{
    private readonly Span<byte> buffer = buffer;

    /// <summary>Bytes written so far.</summary>
    public int Position { get; private set; }

    /// <summary>Copies <paramref name="bytes"/> as they are (fields encoded earlier).</summary>
    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(this.buffer[this.Position..]);
        this.Position += bytes.Length;
    }

    /// <summary>Writes <paramref name="value"/> as a varint.</summary>
    public void Varint(ulong value)
    {
        int position = this.Position;
        while (value >= 0x80)
        {
            this.buffer[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        this.buffer[position++] = (byte)value;
        this.Position = position;
    }

    /// <summary>The key and length of a length-delimited field whose <paramref name="length"/> bytes follow.</summary>
    public void LengthDelimited(int number, int length)
    {
        this.Varint(ProtoWire.Key(number, ProtoWire.LengthDelimitedType));
        this.Varint((uint)length);
    }

    /// <summary>A bytes field (or a nested message encoded earlier); nothing when empty.</summary>
    public void Bytes(int number, ReadOnlySpan<byte> bytes)
    {
        if (!bytes.IsEmpty)
        {
            this.LengthDelimited(number, bytes.Length);
            this.Raw(bytes);
        }
    }

    /// <summary>A string field in UTF-8; nothing when empty.</summary>
    public void String(int number, string value)
    {
        if (value.Length > 0)
        {
            this.LengthDelimited(number, Encoding.UTF8.GetByteCount(value));
            this.Position += Encoding.UTF8.GetBytes(value, this.buffer[this.Position..]);
        }
    }

    /// <summary>An int64 or enum field; nothing when 0.</summary>
    public void VarintField(int number, long value)
    {
        if (value != 0)
        {
            this.Varint(ProtoWire.Key(number, ProtoWire.VarintType));
            this.Varint((ulong)value);
        }
    }

    /// <summary>A bool field; nothing when false.</summary>
    public void Bool(int number, bool value) => this.VarintField(number, value ? 1 : 0);
}

/// <summary>
/// Reads protobuf fields front to back from a buffer, for decoders with a fast path for the shapes they expect. Every
/// method returns false where the bytes are not a well-formed field (truncated, an over-long varint, a length past the
/// end, a field number 0); such a decoder then hands the bytes to the generated parser, which decides and reports.
/// Positions are offsets into the whole buffer, so a nested message is read by a reader over the same buffer.
/// </summary>
/// <param name="buffer">The whole buffer.</param>
/// <param name="start">Where this reader's message starts.</param>
/// <param name="end">Where it ends (exclusive).</param>
public ref struct ProtoReader(ReadOnlySpan<byte> buffer, int start, int end)
{
    private readonly ReadOnlySpan<byte> buffer = buffer;
    private readonly int end = end;

    /// <summary>A reader over all of <paramref name="buffer"/>.</summary>
    public ProtoReader(ReadOnlySpan<byte> buffer)
        : this(buffer, 0, buffer.Length)
    {
    }

    /// <summary>The offset of the next byte to read.</summary>
    public int Position { get; private set; } = start;

    /// <summary>Whether every byte of the message has been read.</summary>
    public readonly bool AtEnd => Position >= end;

    /// <summary>Reads a varint of at most ten bytes.</summary>
    public bool TryReadVarint(out ulong value)
    {
        value = 0;
        var position = Position;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (position >= end)
            {
                return false;
            }

            var b = buffer[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                Position = position;
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads a field's key: its number (1 to 2^29 - 1) and wire type.</summary>
    public bool TryReadKey(out int number, out int wireType)
    {
        number = 0;
        wireType = 0;
        if (!TryReadVarint(out var key) || key > uint.MaxValue || key >> 3 == 0)
        {
            return false;
        }

        number = (int)(key >> 3);
        wireType = (int)(key & 7);
        return true;
    }

    /// <summary>
    /// Reads a message whose fields are all length-delimited and singular (strings, bytes, messages), numbered 1 to
    /// <c>fields.Length</c>: each field's run goes to <c>fields[number - 1]</c>, an absent one is left as it was
    /// (callers start from <see cref="Absent"/>). False for any other field number or wire type, a field seen twice,
    /// or malformed bytes.
    /// </summary>
    public static bool TryReadFields(ReadOnlySpan<byte> buffer, int start, int end, Span<FieldRun> fields)
    {
        var reader = new ProtoReader(buffer, start, end);
        while (!reader.AtEnd)
        {
            if (!reader.TryReadKey(out var number, out var wireType) || number > fields.Length || wireType != ProtoWire.LengthDelimitedType
                || fields[number - 1].Present || !reader.TryReadLengthDelimited(out var offset, out var length))
            {
                return false;
            }

            fields[number - 1] = new FieldRun(offset, length);
        }

        return true;
    }

    /// <summary>A field not (yet) read.</summary>
    public static FieldRun Absent => new(0, -1);

    /// <summary>
    /// Records field <paramref name="number"/> in <paramref name="seen"/> (numbers 1 to 31); false when it was there
    /// already or is out of that range. A singular field seen twice is merged by the generated parsers (the last value
    /// wins, messages merge), which a fast path leaves to them.
    /// </summary>
    public static bool FirstTime(ref int seen, int number)
    {
        if (number > 31 || (seen & (1 << number)) != 0)
        {
            return false;
        }

        seen |= 1 << number;
        return true;
    }

    /// <summary>Reads the length of a length-delimited field and steps over its bytes, which are at <paramref name="offset"/>.</summary>
    public bool TryReadLengthDelimited(out int offset, out int length)
    {
        offset = 0;
        length = 0;
        if (!TryReadVarint(out var size) || size > (ulong)(end - Position))
        {
            return false;
        }

        offset = Position;
        length = (int)size;
        Position += length;
        return true;
    }
}

/// <summary>Where a length-delimited field's bytes are in a buffer; <see cref="Length"/> -1: the field was absent.</summary>
/// <param name="Offset">The first byte.</param>
/// <param name="Length">How many bytes.</param>
public readonly record struct FieldRun(int Offset, int Length)
{
    /// <summary>Whether the field was there.</summary>
    public bool Present => Length >= 0;

    /// <summary>The field's bytes in <paramref name="buffer"/> (empty when absent).</summary>
    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> buffer) => Present ? buffer.Slice(Offset, Length) : default;
}

/// <summary>
/// The request-reply protocol's <c>TypedValue</c> (typename 1, has_value 2, value 3) read in place, for the SDK's and
/// the driver's fast paths: the shape an SDK or the runtime writes (each field at most once, with its own wire type,
/// the typename in UTF-8) and nothing else; has_value is any varint, true when not 0, as the generated parser reads a bool.
/// </summary>
public static class TypedValueReader
{
    private const int Typename = 1, HasValue = 2, Value = 3;

    /// <summary>Reads the <c>TypedValue</c> at <paramref name="run"/> of <paramref name="buffer"/>; false for any other shape.</summary>
    public static bool TryRead(ReadOnlySpan<byte> buffer, FieldRun run, out FieldRun typename, out bool hasValue, out FieldRun value)
    {
        typename = ProtoReader.Absent;
        value = ProtoReader.Absent;
        hasValue = false;
        var reader = new ProtoReader(buffer, run.Offset, run.Offset + run.Length);
        var seen = 0;
        while (!reader.AtEnd)
        {
            if (!reader.TryReadKey(out var number, out var wireType) || !ProtoReader.FirstTime(ref seen, number))
            {
                return false;
            }

            int offset, length;
            switch (number, wireType)
            {
                case (Typename, ProtoWire.LengthDelimitedType) when reader.TryReadLengthDelimited(out offset, out length)
                                                                   && System.Text.Unicode.Utf8.IsValid(buffer.Slice(offset, length)):
                    typename = new FieldRun(offset, length);
                    break;
                case (HasValue, ProtoWire.VarintType) when reader.TryReadVarint(out var flag):
                    hasValue = flag != 0;
                    break;
                case (Value, ProtoWire.LengthDelimitedType) when reader.TryReadLengthDelimited(out offset, out length):
                    value = new FieldRun(offset, length);
                    break;
                default:
                    return false;
            }
        }

        return true;
    }
}

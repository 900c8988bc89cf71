using System.Text.Unicode;
using FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>
/// The two fields of a <c>UserProfile</c> the greeting check needs, read in place from the message's bytes: the shape
/// the greeter writes (each field at most once, with its own wire type, valid UTF-8 strings) is read here, anything else
/// by the generated parser, so both read the same value.
/// </summary>
internal static class ProfileReader
{
    // Field numbers of greeter.proto's UserProfile.
    private const int Name = 1, LastSeenDeltaMs = 2, LoginLocation = 3, SeenCount = 4;

    /// <summary>The seen count and the delta since the last login.</summary>
    /// <exception cref="Google.Protobuf.InvalidProtocolBufferException">The bytes are not a UserProfile.</exception>
    public static (int SeenCount, long LastSeenDeltaMs) Read(ReadOnlySpan<byte> bytes)
    {
        if (TryRead(bytes, out var seenCount, out var deltaMs))
        {
            return (seenCount, deltaMs);
        }

        var profile = UserProfile.Parser.ParseFrom(bytes);
        return (profile.SeenCount, profile.LastSeenDeltaMs);
    }

    private static bool TryRead(ReadOnlySpan<byte> bytes, out int seenCount, out long deltaMs)
    {
        seenCount = 0;
        deltaMs = 0;
        var reader = new ProtoReader(bytes);
        var seen = 0;
        while (!reader.AtEnd)
        {
            if (!reader.TryReadKey(out var number, out var wireType) || number > SeenCount || (seen & (1 << number)) != 0)
            {
                return false;
            }

            seen |= 1 << number;
            ulong value;
            var read = (number, wireType) switch
            {
                (Name or LoginLocation, ProtoWire.LengthDelimitedType) => reader.TryReadLengthDelimited(out var offset, out var length)
                                                                          && Utf8.IsValid(bytes.Slice(offset, length)),
                (LastSeenDeltaMs or SeenCount, ProtoWire.VarintType) => reader.TryReadVarint(out value) && Assign(number, value, ref seenCount, ref deltaMs),
                _ => false,
            };
            if (!read)
            {
                return false;
            }
        }

        return true;
    }

    // int64 is the varint's 64 bits; int32 its low 32, as the generated parser reads them.
    private static bool Assign(int number, ulong value, ref int seenCount, ref long deltaMs)
    {
        if (number == SeenCount)
        {
            seenCount = (int)(uint)value;
        }
        else
        {
            deltaMs = (long)value;
        }

        return true;
    }
}

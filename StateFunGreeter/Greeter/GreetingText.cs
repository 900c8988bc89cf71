using System.Globalization;

namespace FunctionsBench.StateFun;

/// <summary>The playground greeter's greeting texts, shared by the StateFun and the Durable Functions greeters.</summary>
public static class GreetingText
{
    /// <summary>The greeting for a user's <paramref name="seenCount"/>-th login, exactly as the playground's Java greeter words it.</summary>
    /// <param name="seenCount">How many times the user has logged in, this login included.</param>
    /// <param name="name">The user's name.</param>
    /// <param name="lastSeenDeltaMs">Milliseconds since the previous login (0 on the first).</param>
    public static string For(int seenCount, string name, long lastSeenDeltaMs) => seenCount switch
    {
        1 => string.Concat("Welcome ", name, "!"),
        2 => string.Concat("Nice to see you again ", name, "."),
        3 => string.Concat("Third time is a charm ", name, "!"),
        _ => string.Create(
            CultureInfo.InvariantCulture,
            $"Nice to see you for the {seenCount}th time, {name}! It has been {lastSeenDeltaMs} milliseconds since we last saw you."),
    };

    /// <summary>
    /// Writes the text of <see cref="For"/> into <paramref name="destination"/> without allocating, for a driver that
    /// checks thousands of greetings a second.
    /// </summary>
    /// <returns>False when <paramref name="destination"/> is too small; <paramref name="written"/> is then 0.</returns>
    public static bool TryFormat(Span<char> destination, out int written, int seenCount, string name, long lastSeenDeltaMs)
    {
        ArgumentNullException.ThrowIfNull(name);
        var inv = CultureInfo.InvariantCulture;
        return seenCount switch
        {
            1 => destination.TryWrite(inv, $"Welcome {name}!", out written),
            2 => destination.TryWrite(inv, $"Nice to see you again {name}.", out written),
            3 => destination.TryWrite(inv, $"Third time is a charm {name}!", out written),
            _ => destination.TryWrite(
                inv,
                $"Nice to see you for the {seenCount}th time, {name}! It has been {lastSeenDeltaMs} milliseconds since we last saw you.",
                out written),
        };
    }
}

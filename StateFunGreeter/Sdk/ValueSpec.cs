using System.Buffers;

namespace FunctionsBench.StateFun;

/// <summary>The declaration of one persisted state value of a function: name, type and expiration.</summary>
public abstract class ValueSpec
{
    private protected ValueSpec(string name, TypeName typeName, Expiration expiration)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid state name: use letters, digits and '_', not starting with a digit.", nameof(name));
        }

        if (expiration.Mode != ExpirationMode.None && expiration.After <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(expiration), "An expiration needs a positive duration.");
        }

        Name = name;
        NameUtf8 = System.Text.Encoding.UTF8.GetBytes(name);
        TypeName = typeName;
        Expiration = expiration;
    }

    /// <summary>The state name, unique within the function.</summary>
    public string Name { get; }

    /// <summary>The state name as UTF-8, for comparing with a request's bytes.</summary>
    internal byte[] NameUtf8 { get; }

    /// <summary>The typename of the stored value, registered with the runtime.</summary>
    public TypeName TypeName { get; }

    /// <summary>The expiration declared to the runtime.</summary>
    public Expiration Expiration { get; }

    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    // The Java SDK restricts state names to identifiers; matching it keeps our names portable across SDKs.
    private static bool IsValidName(string name) =>
        !string.IsNullOrEmpty(name) && !char.IsAsciiDigit(name[0]) && !name.AsSpan().ContainsAnyExcept(NameChars);
}

/// <summary>A typed state declaration, used both to register the state and to read and write it.</summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class ValueSpec<T> : ValueSpec
{
    /// <summary>Declares a state with no expiration.</summary>
    /// <param name="name">The state name.</param>
    /// <param name="type">How the value is encoded.</param>
    public ValueSpec(string name, StateFunType<T> type)
        : this(name, type, Expiration.None)
    {
    }

    /// <summary>Declares a state with an expiration.</summary>
    /// <param name="name">The state name.</param>
    /// <param name="type">How the value is encoded.</param>
    /// <param name="expiration">When the runtime expires it.</param>
    public ValueSpec(string name, StateFunType<T> type, Expiration expiration)
        : base(name, (type ?? throw new ArgumentNullException(nameof(type))).TypeName, expiration)
    {
        Type = type;
    }

    /// <summary>How the value is encoded.</summary>
    public StateFunType<T> Type { get; }

    /// <summary>A copy of this declaration that expires <paramref name="after"/> the last write.</summary>
    public ValueSpec<T> ExpireAfterWrite(TimeSpan after) => new(Name, Type, new Expiration(ExpirationMode.AfterWrite, after));

    /// <summary>A copy of this declaration that expires <paramref name="after"/> the last call of the address.</summary>
    public ValueSpec<T> ExpireAfterCall(TimeSpan after) => new(Name, Type, new Expiration(ExpirationMode.AfterCall, after));
}

using System.Text;
using System.Diagnostics.CodeAnalysis;

namespace FunctionsBench.StateFun;

/// <summary>
/// A StateFun type name, <c>namespace/name</c>: names function types, value types and egresses.
/// </summary>
/// <remarks>
/// The split is at the last '/', as StateFun does for egress typenames, so
/// <c>type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord</c> parses as expected.
/// </remarks>
public sealed class TypeName : IEquatable<TypeName>
{
    private TypeName(string @namespace, string name, string fullName)
    {
        Namespace = @namespace;
        Name = name;
        FullName = fullName;
        NamespaceUtf8 = Encoding.UTF8.GetBytes(@namespace);
        NameUtf8 = Encoding.UTF8.GetBytes(name);
        FullNameUtf8 = Encoding.UTF8.GetBytes(fullName);
    }

    /// <summary>The part before the last '/'.</summary>
    public string Namespace { get; }

    /// <summary>The part after the last '/'.</summary>
    public string Name { get; }

    /// <summary>The typename as sent on the wire, <c>namespace/name</c>.</summary>
    public string FullName { get; }

    // The three as UTF-8, for comparing with a request's bytes without decoding them.
    internal byte[] NamespaceUtf8 { get; }

    internal byte[] NameUtf8 { get; }

    internal byte[] FullNameUtf8 { get; }

    /// <summary>Builds a type name from its two parts.</summary>
    /// <exception cref="ArgumentException">Either part is empty, or the name contains '/'.</exception>
    public static TypeName Of(string @namespace, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("A type name's name part cannot contain '/'.", nameof(name));
        }

        return new TypeName(@namespace, name, string.Concat(@namespace, "/", name));
    }

    /// <summary>Parses <c>namespace/name</c>.</summary>
    /// <exception cref="FormatException">The text has no '/' or an empty part.</exception>
    public static TypeName Parse(string typename)
    {
        ArgumentNullException.ThrowIfNull(typename);
        return TryParse(typename, out var result)
            ? result
            : throw new FormatException($"'{typename}' is not a StateFun type name (expected namespace/name).");
    }

    /// <summary>Parses <c>namespace/name</c> without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? typename, [NotNullWhen(true)] out TypeName? result)
    {
        result = null;
        if (string.IsNullOrEmpty(typename))
        {
            return false;
        }

        var slash = typename.LastIndexOf('/');
        if (slash <= 0 || slash == typename.Length - 1)
        {
            return false;
        }

        result = new TypeName(typename[..slash], typename[(slash + 1)..], typename);
        return true;
    }

    /// <inheritdoc />
    public bool Equals(TypeName? other) => other is not null && string.Equals(FullName, other.FullName, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TypeName);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(FullName);

    /// <inheritdoc />
    public override string ToString() => FullName;

    /// <summary>Ordinal equality of the full names.</summary>
    public static bool operator ==(TypeName? left, TypeName? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Ordinal inequality of the full names.</summary>
    public static bool operator !=(TypeName? left, TypeName? right) => !(left == right);
}

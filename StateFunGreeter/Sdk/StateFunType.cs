namespace FunctionsBench.StateFun;

/// <summary>
/// A StateFun value type: a typename and the encoding of its values into the bytes of a <c>TypedValue</c>.
/// </summary>
/// <typeparam name="T">The .NET type of the values.</typeparam>
public abstract class StateFunType<T>
{
    /// <summary>Creates a type with the given typename.</summary>
    protected StateFunType(TypeName typeName)
    {
        TypeName = typeName ?? throw new ArgumentNullException(nameof(typeName));
    }

    /// <summary>The typename sent on the wire.</summary>
    public TypeName TypeName { get; }

    /// <summary>Encodes a value. The returned memory must not be changed afterwards: it is sent without a copy.</summary>
    public abstract ReadOnlyMemory<byte> Serialize(T value);

    /// <summary>Decodes a value from its bytes.</summary>
    public abstract T Deserialize(ReadOnlySpan<byte> bytes);
}

namespace FunctionsBench.StateFun;

/// <summary>A message delivered to a function: a typed value and the address it was sent to.</summary>
public sealed class Message
{
    private readonly WireValue argument;
    private string? valueTypeName;

    internal Message(Address targetAddress, WireValue argument)
    {
        TargetAddress = targetAddress;
        this.argument = argument;
    }

    /// <summary>The address of the function instance receiving the message.</summary>
    public Address TargetAddress { get; }

    /// <summary>The typename of the value, as sent.</summary>
    public string ValueTypeName => valueTypeName ??= WireText.Decode(argument.Typename);

    /// <summary>The encoded value.</summary>
    public ReadOnlyMemory<byte> RawValue => argument.Value;

    /// <summary>Whether the value is of the given type (by typename).</summary>
    public bool Is<T>(StateFunType<T> type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return argument.Typename.Span.SequenceEqual(type.TypeName.FullNameUtf8);
    }

    /// <summary>Decodes the value as the given type.</summary>
    /// <exception cref="StateFunTypeMismatchException">The message has another typename.</exception>
    public T As<T>(StateFunType<T> type)
    {
        if (!Is(type))
        {
            throw new StateFunTypeMismatchException(
                $"{TargetAddress.Type} received a message of type '{ValueTypeName}' but expected '{type.TypeName}'.");
        }

        return type.Deserialize(argument.Value.Span);
    }
}

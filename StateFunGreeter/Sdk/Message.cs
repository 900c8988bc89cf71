using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>A message delivered to a function: a typed value and the address it was sent to.</summary>
public sealed class Message
{
    private readonly Proto.TypedValue argument;

    internal Message(Address targetAddress, Proto.TypedValue argument)
    {
        TargetAddress = targetAddress;
        this.argument = argument;
    }

    /// <summary>The address of the function instance receiving the message.</summary>
    public Address TargetAddress { get; }

    /// <summary>The typename of the value, as sent.</summary>
    public string ValueTypeName => argument.Typename;

    /// <summary>The encoded value.</summary>
    public ReadOnlyMemory<byte> RawValue => argument.Value.Memory;

    /// <summary>Whether the value is of the given type (by typename).</summary>
    public bool Is<T>(StateFunType<T> type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return string.Equals(argument.Typename, type.TypeName.FullName, StringComparison.Ordinal);
    }

    /// <summary>Decodes the value as the given type.</summary>
    /// <exception cref="StateFunTypeMismatchException">The message has another typename.</exception>
    public T As<T>(StateFunType<T> type)
    {
        if (!Is(type))
        {
            throw new StateFunTypeMismatchException(
                $"{TargetAddress.Type} received a message of type '{argument.Typename}' but expected '{type.TypeName}'.");
        }

        return type.Deserialize(argument.Value.Span);
    }
}

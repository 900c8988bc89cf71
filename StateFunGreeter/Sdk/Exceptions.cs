namespace FunctionsBench.StateFun;

/// <summary>
/// The request body is not a usable <c>ToFunction</c>: malformed or truncated protobuf, or required fields missing.
/// The HTTP layer answers 400, which StateFun does not retry: resending the same bytes cannot succeed.
/// </summary>
public sealed class StateFunInvalidRequestException : Exception
{
    /// <summary>Creates the exception with a short reason suitable for a plain-text response.</summary>
    public StateFunInvalidRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a short reason and the parser's exception.</summary>
    public StateFunInvalidRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The request targets a function type that is not registered. The HTTP layer answers 404 so that a
/// misconfigured runtime fails fast instead of retrying forever.
/// </summary>
public sealed class StateFunUnknownFunctionException : Exception
{
    /// <summary>Creates the exception for the given function typename.</summary>
    public StateFunUnknownFunctionException(string functionType)
        : base($"No function is registered for type '{functionType}'.")
    {
        FunctionType = functionType;
    }

    /// <summary>The typename that was asked for.</summary>
    public string FunctionType { get; }
}

/// <summary>
/// A value's typename is not the one the code expected: a message type the function does not accept, or a state
/// value whose typename differs from its declaration. The HTTP layer answers 500, as the official SDKs do; the
/// runtime then retries, which lets a fixed deployment pick the message up.
/// </summary>
public sealed class StateFunTypeMismatchException : Exception
{
    /// <summary>Creates the exception with the expected and actual typenames.</summary>
    public StateFunTypeMismatchException(string message)
        : base(message)
    {
    }
}

namespace FunctionsBench.StateFun;

/// <summary>When a state value expires. The runtime enforces it; the SDK only declares it.</summary>
public enum ExpirationMode
{
    /// <summary>Never expires.</summary>
    None = 0,

    /// <summary>Expires a fixed time after the last write.</summary>
    AfterWrite = 1,

    /// <summary>Expires a fixed time after the last invocation of the address (StateFun's AFTER_INVOKE).</summary>
    AfterCall = 2,
}

/// <summary>A state's expiration: a mode and a duration.</summary>
/// <param name="Mode">When the clock restarts.</param>
/// <param name="After">How long after that the value expires.</param>
public readonly record struct Expiration(ExpirationMode Mode, TimeSpan After)
{
    /// <summary>No expiration.</summary>
    public static Expiration None => default;
}

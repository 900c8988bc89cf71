namespace FunctionsBench.StateFun;

/// <summary>The code of a function: handles one message. Batches call it once per message, in order.</summary>
/// <param name="context">The invocation's address, caller, state and outbox.</param>
/// <param name="message">The message.</param>
public delegate ValueTask StatefulFunction(Context context, Message message);

/// <summary>A registered function type: its typename, its code and the states it declares.</summary>
public sealed class StatefulFunctionSpec
{
    private readonly ValueSpec[] states;

    internal StatefulFunctionSpec(TypeName typeName, StatefulFunction handler, ValueSpec[] states)
    {
        TypeName = typeName;
        Handler = handler;
        this.states = states;
    }

    /// <summary>The function type.</summary>
    public TypeName TypeName { get; }

    /// <summary>The function's code.</summary>
    public StatefulFunction Handler { get; }

    /// <summary>The declared states, in declaration order.</summary>
    public IReadOnlyList<ValueSpec> States => states;

    internal int IndexOfState(ValueSpec spec)
    {
        for (var i = 0; i < states.Length; i++)
        {
            if (ReferenceEquals(states[i], spec))
            {
                return i;
            }
        }

        // A spec rebuilt by the caller (same name and type) is the same state.
        var index = IndexOfState(spec.Name);
        return index >= 0 && states[index].TypeName == spec.TypeName ? index : -1;
    }

    internal int IndexOfState(ReadOnlySpan<byte> utf8Name)
    {
        for (var i = 0; i < states.Length; i++)
        {
            if (utf8Name.SequenceEqual(states[i].NameUtf8))
            {
                return i;
            }
        }

        return -1;
    }

    internal int IndexOfState(string name)
    {
        for (var i = 0; i < states.Length; i++)
        {
            if (string.Equals(states[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>The registry of function types served by one <see cref="RequestReplyHandler"/>.</summary>
public sealed class StatefulFunctions
{
    private readonly List<StatefulFunctionSpec> functions = [];

    /// <summary>The registered functions.</summary>
    public IReadOnlyList<StatefulFunctionSpec> Functions => functions;

    /// <summary>Registers a function type with its code and declared states.</summary>
    /// <returns>This registry, for chaining.</returns>
    /// <exception cref="ArgumentException">The type is already registered, or two states share a name.</exception>
    public StatefulFunctions Register(TypeName typeName, StatefulFunction handler, params ValueSpec[] states)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(states);
        if (Find(functions, typeName.Namespace, typeName.Name) is not null)
        {
            throw new ArgumentException($"{typeName} is already registered.", nameof(typeName));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var state in states)
        {
            ArgumentNullException.ThrowIfNull(state, nameof(states));
            if (!names.Add(state.Name))
            {
                throw new ArgumentException($"{typeName} declares state '{state.Name}' twice.", nameof(states));
            }
        }

        functions.Add(new StatefulFunctionSpec(typeName, handler, [.. states]));
        return this;
    }

    // A linear scan over a handful of functions compares the wire strings without building a typename per request.
    internal static StatefulFunctionSpec? Find(IEnumerable<StatefulFunctionSpec> functions, string @namespace, string name)
    {
        foreach (var function in functions)
        {
            if (string.Equals(function.TypeName.Name, name, StringComparison.Ordinal)
                && string.Equals(function.TypeName.Namespace, @namespace, StringComparison.Ordinal))
            {
                return function;
            }
        }

        return null;
    }

    // The same, for a request's UTF-8.
    internal static StatefulFunctionSpec? Find(StatefulFunctionSpec[] functions, ReadOnlySpan<byte> @namespace, ReadOnlySpan<byte> name)
    {
        foreach (var function in functions)
        {
            if (name.SequenceEqual(function.TypeName.NameUtf8) && @namespace.SequenceEqual(function.TypeName.NamespaceUtf8))
            {
                return function;
            }
        }

        return null;
    }
}

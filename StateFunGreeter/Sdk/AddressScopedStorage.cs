using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>
/// The state values of one address during one batch. Every invocation of the batch sees the writes of the ones
/// before it; the written values are sent back as mutations once the whole batch has run.
/// </summary>
public sealed class AddressScopedStorage
{
    private readonly StatefulFunctionSpec function;
    private readonly Cell[] cells;

    internal AddressScopedStorage(StatefulFunctionSpec function, WireState[] state)
    {
        this.function = function;
        cells = new Cell[function.States.Count];
        foreach (var persisted in state)
        {
            var index = function.IndexOfState(persisted.Name.Span);
            // A registered state the address has no value for arrives with has_value false (or no value at all).
            if (index >= 0 && persisted.Value is { } value && value.HasValue)
            {
                cells[index].Stored = value;
            }
        }
    }

    /// <summary>Reads a value; false when the address has none.</summary>
    /// <exception cref="StateFunTypeMismatchException">The stored value's typename differs from the declaration.</exception>
    public bool TryGet<T>(ValueSpec<T> spec, [MaybeNullWhen(false)] out T value)
    {
        ref var cell = ref CellOf(spec);
        if (cell.Written)
        {
            // What this batch wrote, of the spec's own type.
            if (cell.Value is not { } written)
            {
                value = default;
                return false;
            }

            value = spec.Type.Deserialize(written.Value.Span);
            return true;
        }

        if (cell.Stored is not { } stored)
        {
            value = default;
            return false;
        }

        if (!stored.Typename.Span.SequenceEqual(spec.TypeName.FullNameUtf8))
        {
            throw new StateFunTypeMismatchException(
                $"State '{spec.Name}' of {function.TypeName} holds a value of type '{WireText.Decode(stored.Typename)}' but is declared as '{spec.TypeName}'.");
        }

        value = spec.Type.Deserialize(stored.Value.Span);
        return true;
    }

    /// <summary>Reads a value, or <paramref name="fallback"/> when the address has none.</summary>
    public T GetOrDefault<T>(ValueSpec<T> spec, T fallback) => TryGet(spec, out var value) ? value : fallback;

    /// <summary>Writes a value; a null reference removes it.</summary>
    public void Set<T>(ValueSpec<T> spec, T value)
    {
        if (value is null)
        {
            Remove(spec);
            return;
        }

        ref var cell = ref CellOf(spec);
        cell.Value = new Proto.TypedValue
        {
            Typename = spec.TypeName.FullName,
            HasValue = true,
            Value = UnsafeByteOperations.UnsafeWrap(spec.Type.Serialize(value)),
        };
        cell.Written = true;
    }

    /// <summary>Removes the value.</summary>
    public void Remove(ValueSpec spec)
    {
        ref var cell = ref CellOf(spec);
        cell.Value = null;
        cell.Written = true;
    }

    internal void AppendMutations(Google.Protobuf.Collections.RepeatedField<Proto.FromFunction.Types.PersistedValueMutation> mutations)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (!cells[i].Written)
            {
                continue;
            }

            var value = cells[i].Value;
            mutations.Add(new Proto.FromFunction.Types.PersistedValueMutation
            {
                MutationType = value is null
                    ? Proto.FromFunction.Types.PersistedValueMutation.Types.MutationType.Delete
                    : Proto.FromFunction.Types.PersistedValueMutation.Types.MutationType.Modify,
                StateName = function.States[i].Name,
                StateValue = value,
            });
        }
    }

    private ref Cell CellOf(ValueSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var index = function.IndexOfState(spec);
        if (index < 0)
        {
            throw new InvalidOperationException($"State '{spec.Name}' is not declared by {function.TypeName}.");
        }

        return ref cells[index];
    }

    // A state as the request brought it (Stored) until the batch writes it (Written, Value: null when removed).
    private struct Cell
    {
        public WireValue? Stored;
        public Proto.TypedValue? Value;
        public bool Written;
    }
}

using DurableTask.Core;

namespace FunctionsBench.Embedded.Durable;

/// <summary>
/// Looks durable functions up by name only: the app never versions them, and Durable Functions treats function names
/// case-insensitively (DurableTask.Core asks for entities by their lower-cased name).
/// </summary>
internal sealed class CatalogObjectManager<T> : INameVersionObjectManager<T>
    where T : class
{
    private readonly Dictionary<string, Func<T>> factories = new(StringComparer.OrdinalIgnoreCase);

    public void Add(string name, Func<T> factory)
    {
        if (!this.factories.TryAdd(name, factory))
        {
            throw new InvalidOperationException($"Two durable functions are named '{name}' (names are case-insensitive).");
        }
    }

    /// <inheritdoc/>
    public void Add(ObjectCreator<T> creator) => this.Add(creator.Name, creator.Create);

    /// <inheritdoc/>
    public T GetObject(string name, string? version) => this.factories.TryGetValue(name, out Func<T>? factory) ? factory() : null!;
}

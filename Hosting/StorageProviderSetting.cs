using System.Text.Json;

namespace FunctionsBench.Hosting;

/// <summary>
/// Which Durable Task storage provider the Functions host runs: the app setting that overrides host.json
/// (<c>AzureFunctionsJobHost__extensions__durableTask__storageProvider__type</c>), else host.json, else the default.
/// The worker cannot ask the host, so it reads the same sources the host reads.
/// </summary>
public static class StorageProviderSetting
{
    /// <summary>The environment variable that overrides host.json.</summary>
    public const string OverrideVariable = "AzureFunctionsJobHost__extensions__durableTask__storageProvider__type";

    /// <summary>The provider when nothing says otherwise.</summary>
    public const string Default = "AzureStorage";

    /// <summary>The provider name.</summary>
    public static string Read() => Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } value
        ? value
        : FromHostJson(Path.Combine(AppContext.BaseDirectory, "host.json")) ?? Default;

    /// <summary>The provider named by the host.json at <paramref name="path"/>, or null when it names none.</summary>
    public static string? FromHostJson(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using JsonDocument host = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return host.RootElement.TryGetProperty("extensions", out JsonElement extensions)
            && extensions.TryGetProperty("durableTask", out JsonElement durableTask)
            && durableTask.TryGetProperty("storageProvider", out JsonElement provider)
            && provider.TryGetProperty("type", out JsonElement type)
            ? type.GetString()
            : null;
    }
}

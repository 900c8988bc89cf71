using FunctionsBench.BenchOrchestrator;
using Microsoft.Extensions.Configuration;

namespace FunctionsBench.Hosting;

/// <summary>
/// Which Durable Task storage provider the Functions host runs, and with which settings: the app setting that
/// overrides host.json (<c>AzureFunctionsJobHost__extensions__durableTask__...</c>), else host.json, else the default.
/// The worker cannot ask the host, so it reads the same sources the host reads.
/// </summary>
public static class StorageProviderSetting
{
    /// <summary>The environment variable that overrides host.json.</summary>
    public const string OverrideVariable = "AzureFunctionsJobHost__extensions__durableTask__storageProvider__type";

    /// <summary>The provider when nothing says otherwise.</summary>
    public const string Default = "AzureStorage";

    private const string OverridePrefix = "AzureFunctionsJobHost:extensions:durableTask";

    private static string HostJsonPath => Path.Combine(AppContext.BaseDirectory, "host.json");

    /// <summary>The provider name.</summary>
    public static string Read() => Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } value
        ? value
        : FromHostJson(HostJsonPath) ?? Default;

    /// <summary>The provider named by the host.json at <paramref name="path"/>, or null when it names none.</summary>
    public static string? FromHostJson(string path)
    {
        using JsonDocument? host = LoadHostJson(path);
        return DurableTaskValue(host, "storageProvider", "type");
    }

    /// <summary>
    /// The storage account of <c>AzureWebJobsStorage</c> and the Azure Storage provider's settings as the Functions host
    /// applies them; <paramref name="azuriteMode"/> (<c>Bench:AzuriteMode</c>) says how an Azurite the operator started
    /// keeps its data.
    /// </summary>
    public static StorageSetup ReadSetup(IConfiguration configuration, string? azuriteMode, string? hostJsonPath = null)
    {
        using JsonDocument? host = LoadHostJson(hostJsonPath ?? HostJsonPath);
        string? Setting(params string[] path)
            => configuration[string.Join(':', [OverridePrefix, .. path])] is { Length: > 0 } value ? value : DurableTaskValue(host, path);

        (string? account, bool emulator) = StorageSetup.DescribeConnection(configuration["AzureWebJobsStorage"]);
        account ??= configuration["AzureWebJobsStorage:accountName"];
        string? mode = emulator ? StorageSetup.ParseAzuriteMode(azuriteMode) : null;

        // The Durable Functions extension's defaults for the Azure Storage provider; another provider's are its own.
        bool azureStorage = (Setting("storageProvider", "type") ?? Default) == Default;
        int? partitions = int.TryParse(Setting("storageProvider", "partitionCount"), NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : azureStorage ? 4 : null;
        bool? extended = bool.TryParse(Setting("extendedSessionsEnabled"), out bool e) ? e : azureStorage ? false : null;
        int? pollingMs = TimeSpan.TryParse(Setting("storageProvider", "maxQueuePollingInterval"), CultureInfo.InvariantCulture, out TimeSpan t)
            ? (int)t.TotalMilliseconds
            : azureStorage ? 30_000 : null;
        int? batch = int.TryParse(Setting("storageProvider", "controlQueueBatchSize"), NumberStyles.None, CultureInfo.InvariantCulture, out int b) ? b : azureStorage ? 32 : null;
        int? visibilityS = TimeSpan.TryParse(Setting("storageProvider", "controlQueueVisibilityTimeout"), CultureInfo.InvariantCulture, out TimeSpan v)
            ? (int)v.TotalSeconds
            : azureStorage ? 300 : null;

        // The extension's default concurrency is ten work items per processor of the host.
        int? Concurrency(string key) => int.TryParse(Setting(key), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 10 * Environment.ProcessorCount;
        return new StorageSetup(
            account, emulator, mode, partitions, extended, pollingMs, batch, visibilityS,
            Concurrency("maxConcurrentActivityFunctions"), Concurrency("maxConcurrentOrchestratorFunctions"), Concurrency("maxConcurrentEntityFunctions"),
            StorageSetup.SourceHostJson);
    }

    /// <summary>The host.json at <paramref name="path"/>, parsed; null when there is none.</summary>
    private static JsonDocument? LoadHostJson(string path) => File.Exists(path)
        ? JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
        : null;

    /// <summary>The value at <c>extensions.durableTask.{keys}</c> of <paramref name="host"/>, as text; null when absent.</summary>
    private static string? DurableTaskValue(JsonDocument? host, params string[] keys)
    {
        if (host is null || !host.RootElement.TryGetProperty("extensions", out JsonElement node) || !node.TryGetProperty("durableTask", out node))
        {
            return null;
        }

        foreach (string key in keys)
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(key, out node))
            {
                return null;
            }
        }

        return node.ValueKind switch
        {
            JsonValueKind.String => node.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => node.GetRawText(),
            _ => null,
        };
    }
}

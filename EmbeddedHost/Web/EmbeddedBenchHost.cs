using System.Reflection;
using DurableTask.AzureStorage;
using FunctionsBench.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.Extensions.Options;

namespace FunctionsBench.Embedded.Web;

/// <summary>
/// The embedded host as the shared HTTP API sees it: management URIs as an isolated worker builds them from the
/// extension's client binding, and the settings the extension reported as applied.
/// </summary>
internal sealed class EmbeddedBenchHost(
    IServiceProvider services, IOptions<BenchOptions> benchOptions, EmbeddedHostOptions options, ExtensionConfigurationCapture capture, IConfiguration configuration) : IBenchHost
{
    private readonly Lazy<RunEnvironment> environment = new(() => Describe(options));

    /// <summary>The components whose versions the results record.</summary>
    public static IReadOnlyList<Assembly> Components { get; } =
    [
        typeof(DurableTaskExtension).Assembly,
        typeof(DurableTask.Core.TaskHubWorker).Assembly,
        typeof(AzureStorageOrchestrationService).Assembly,
        typeof(TaskOrchestrationContext).Assembly,
        typeof(GrpcOrchestrationRunner).Assembly,
        typeof(DurableTaskClient).Assembly,
        typeof(Microsoft.Azure.WebJobs.JobHost).Assembly,
    ];

    /// <inheritdoc/>
    public string HostName => "embedded";

    /// <inheritdoc/>
    public string StorageProvider => configuration[HostJsonSettings.DurableTaskPath + ":storageProvider:type"] is { Length: > 0 } type ? type : StorageProviderSetting.Default;

    /// <inheritdoc/>
    public StorageSetup Storage
    {
        get
        {
            ExtensionConfiguration applied = capture.Configuration.Result;
            (string? account, bool emulator) = StorageSetup.DescribeConnection(options.ConnectionString);
            return new StorageSetup(
                account, emulator, emulator ? options.AzuriteMode : null, applied.PartitionCount, applied.ExtendedSessions,
                applied.MaxQueuePollingInterval is { } polling ? (int)polling.TotalMilliseconds : null, applied.ControlQueueBatchSize,
                applied.ControlQueueVisibilityTimeout is { } visibility ? (int)visibility.TotalSeconds : null,
                applied.MaxConcurrentActivities, applied.MaxConcurrentOrchestrators, applied.MaxConcurrentEntities, StorageSetup.SourceExtension);
        }
    }

    /// <inheritdoc/>
    public RunEnvironment Environment => this.environment.Value;

    /// <inheritdoc/>
    public BenchLimits Limits => benchOptions.Value.Limits;

    /// <inheritdoc/>
    public HttpManagementUris CreateManagementUris(HttpRequest request, string instanceId)
    {
        // As the isolated worker's CreateHttpManagementPayload builds them: the extension's base URL and query string.
        DurableClientInfo info = DurableExtensionHost.ClientInfo(services);
        string baseUrl = info.HttpBaseUrl is { Length: > 0 } http
            ? http.TrimEnd('/')
            : $"{request.Scheme}://{request.Host}{request.PathBase}{DurableExtensionHost.WebhookPath}";
        string instance = $"{baseUrl}/instances/{Uri.EscapeDataString(instanceId)}";
        static string Url(string url, params string?[] query)
        {
            string joined = string.Join('&', query.Where(q => !string.IsNullOrEmpty(q)));
            return joined.Length == 0 ? url : $"{url}?{joined}";
        }

        // The task hub in the query as the Functions host puts it there, so a client of the API (./bench run --target)
        // knows whose storage to read without being told.
        string? common = info.RequiredQueryStringParameters is { } required && required.Contains("taskHub=", StringComparison.Ordinal)
            ? required
            : string.Join('&', new[] { "taskHub=" + Uri.EscapeDataString(info.TaskHubName), info.RequiredQueryStringParameters }.Where(q => !string.IsNullOrEmpty(q)));
        return new HttpManagementUris(
            instanceId,
            Url(instance, common),
            Url($"{instance}/raiseEvent/{{eventName}}", common),
            Url($"{instance}/terminate", "reason={text}", common),
            Url(instance, common));
    }

    private static RunEnvironment Describe(EmbeddedHostOptions options)
    {
        string hostJson = options.ResolveHostJsonPath();
        string? root = RepositoryRoot();
        using JsonDocument content = JsonDocument.Parse(File.ReadAllText(hostJson), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return EnvironmentProbe.Capture(Components) with
        {
            GitCommit = root is null ? null : WorkerEnvironment.CommitOf(root),
            HostJsonPath = Path.GetFullPath(hostJson),
            HostJson = content.RootElement.Clone(),
            Azurite = root is not null && StorageSetup.DescribeConnection(options.ConnectionString).Emulator ? AzuriteVersion(root) : null,
        };
    }

    private static string? RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FunctionsBench.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    private static string? AzuriteVersion(string root)
    {
        string package = Path.Combine(root, "node_modules", "azurite", "package.json");
        if (!File.Exists(package))
        {
            return null;
        }

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(package));
        return json.RootElement.TryGetProperty("version", out JsonElement version) ? version.GetString() : null;
    }
}

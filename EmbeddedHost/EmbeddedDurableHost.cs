using System.Diagnostics;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using DurableTask.Core;
using FunctionsBench.Embedded.Durable;
using FunctionsBench.Hosting;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using CoreTaskEntity = DurableTask.Core.Entities.TaskEntity;

namespace FunctionsBench.Embedded;

/// <summary>
/// Runs the app's orchestrators, activities and entities on the Durable Task Framework engine: a DurableTask.Core
/// <see cref="TaskHubWorker"/> over the Azure Storage provider, with the SDK's <see cref="DurableTaskShimFactory"/>
/// adapting the SDK-written code, and a <see cref="DurableTaskClient"/> for the same task hub.
/// </summary>
/// <remarks>
/// Durable function classes are created per work item with <see cref="ActivatorUtilities"/> from the given service
/// provider, so activities receive the services registered by <see cref="BenchServices.AddBench"/>.
/// </remarks>
public sealed class EmbeddedDurableHost : IHostedService, IAsyncDisposable
{
    private readonly AzureStorageOrchestrationService service;
    private readonly TaskHubWorker worker;
    private readonly EntityStateCache? entityStateCache;
    private readonly ILogger logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private bool running;
    private bool disposed;

    /// <summary>Creates the host; nothing touches storage until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Task hub and provider settings.</param>
    /// <param name="services">Creates the durable function classes.</param>
    /// <param name="loggerFactory">Logs of the host, the worker and the provider.</param>
    /// <param name="functions">The durable functions to run; the app's (<see cref="DurableCatalog.App"/>) when null.</param>
    public EmbeddedDurableHost(EmbeddedHostOptions options, IServiceProvider services, ILoggerFactory loggerFactory, IEnumerable<DurableFunctionEntry>? functions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();
        this.Options = options.Clone();
        this.Functions = (functions ?? DurableCatalog.App).ToList();
        this.logger = loggerFactory.CreateLogger<EmbeddedDurableHost>();

        this.service = new AzureStorageOrchestrationService(CreateSettings(this.Options, this.StorageRequests, loggerFactory));
        var dataConverter = new JsonDataConverter(BenchJson.Options);
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = dataConverter, EnableEntitySupport = true }, loggerFactory);

        var orchestrations = new CatalogObjectManager<TaskOrchestration>();
        var activities = new CatalogObjectManager<TaskActivity>();
        var entities = new CatalogObjectManager<CoreTaskEntity>();
        foreach (DurableFunctionEntry function in this.Functions)
        {
            TaskName name = function.Name;
            switch (function.Kind)
            {
                case DurableFunctionKind.Orchestrator:
                    orchestrations.Add(function.Name, () => shims.CreateOrchestration(name, Create<ITaskOrchestrator>(services, function)));
                    break;
                case DurableFunctionKind.Activity:
                    activities.Add(function.Name, () => shims.CreateActivity(name, Create<ITaskActivity>(services, function)));
                    break;
                case DurableFunctionKind.Entity:
                    entities.Add(function.Name, () => new EntityShimAdapter(shims, function.Name, () => Create<ITaskEntity>(services, function)));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(functions), function.Kind, $"Unknown kind of durable function '{function.Name}'.");
            }
        }

        this.worker = new TaskHubWorker(this.service, orchestrations, activities, entities, loggerFactory)
        {
            // Failures travel as structured details (type, message, stack), which the SDK's shims and TaskFailedException
            // expect, instead of serialized exceptions.
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        if (this.Options.ExtendedSessionsEnabled)
        {
            DurableTask.Core.Entities.EntityBackendQueries entityQueries = ((DurableTask.Core.Entities.IEntityOrchestrationService)this.service).EntityBackendQueries
                ?? throw new InvalidOperationException("The Azure Storage provider offers no entity queries.");
            this.entityStateCache = new EntityStateCache(
                this.Options.ExtendedSessionIdleTimeout,
                async instanceId => (await entityQueries.GetEntityAsync(DurableTask.Core.Entities.EntityId.FromString(instanceId), includeState: true, includeStateless: true, default))?.SerializedState,
                this.logger);
            this.worker.AddEntityDispatcherMiddleware(this.entityStateCache.InvokeAsync);
        }

        this.Client = new DtfxDurableTaskClient(this.Options.TaskHubName, this.service, dataConverter, this.Options.ClientMaxPollingInterval);
    }

    /// <summary>The settings in force (a copy of those given).</summary>
    public EmbeddedHostOptions Options { get; }

    /// <summary>Every request of the task hub's storage clients (the worker's and <see cref="Client"/>'s).</summary>
    public StorageRequestLog StorageRequests { get; } = new();

    /// <summary>The durable functions this host runs.</summary>
    public IReadOnlyList<DurableFunctionEntry> Functions { get; }

    /// <summary>A client of this host's task hub; usable before the worker starts (messages wait in the queues).</summary>
    public DurableTaskClient Client { get; }

    /// <summary>Whether the worker is processing the task hub.</summary>
    public bool IsRunning => this.running;

    /// <summary>Creates the task hub if needed and starts processing it.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await this.gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(this.disposed, this);
            if (this.running)
            {
                return;
            }

            this.logger.HostStarting(this.Options.TaskHubName, this.Options.PartitionCount, this.Options.ExtendedSessionsEnabled,
                this.Options.MaxQueuePollingInterval, this.Options.ControlQueueBatchSize, this.Functions.Count);
            var stopwatch = Stopwatch.StartNew();
            await this.service.CreateIfNotExistsAsync().WaitAsync(cancellationToken);
            await this.worker.StartAsync().WaitAsync(cancellationToken);
            this.running = true;
            this.logger.HostStarted(this.Options.TaskHubName, stopwatch.ElapsedMilliseconds);
        }
        finally
        {
            this.gate.Release();
        }
    }

    /// <summary>Stops processing; in-flight work items are abandoned and retried by the next worker.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await this.gate.WaitAsync(CancellationToken.None);
        try
        {
            if (!this.running)
            {
                return;
            }

            // A graceful stop waits for idle extended sessions to time out; durable work is safe to abandon.
            await this.worker.StopAsync(isForced: true);
            this.running = false;
            this.logger.HostStopped(this.Options.TaskHubName);
        }
        finally
        {
            this.gate.Release();
        }
    }

    /// <summary>Stops the worker and deletes the task hub's queues, tables and containers (tests and scratch hubs).</summary>
    public async Task DeleteTaskHubAsync()
    {
        await this.StopAsync();
        await this.service.DeleteAsync();
        this.logger.TaskHubDeleted(this.Options.TaskHubName);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (this.disposed)
        {
            return;
        }

        await this.StopAsync();
        this.disposed = true;
        this.service.Dispose();
        this.gate.Dispose();
    }

    private static AzureStorageOrchestrationServiceSettings CreateSettings(EmbeddedHostOptions options, StorageRequestLog requests, ILoggerFactory loggerFactory) => new()
    {
        StorageAccountClientProvider = CreateClientProvider(options.ConnectionString, requests),
        TaskHubName = options.TaskHubName,
        WorkerId = options.WorkerId,
        PartitionCount = options.PartitionCount,
        ExtendedSessionsEnabled = options.ExtendedSessionsEnabled,
        ExtendedSessionIdleTimeout = options.ExtendedSessionIdleTimeout,
        MaxQueuePollingInterval = options.MaxQueuePollingInterval,
        ControlQueueBatchSize = options.ControlQueueBatchSize,
        ControlQueueVisibilityTimeout = options.MessageVisibilityTimeout,
        WorkItemQueueVisibilityTimeout = options.MessageVisibilityTimeout,
        MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
        MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
        MaxConcurrentTaskEntityWorkItems = options.MaxConcurrentEntities,
        MaxEntityOperationBatchSize = options.MaxEntityOperationBatchSize,

        // TaskHubWorker dispatches entities only when they have their own work-item queue.
        UseSeparateQueueForEntityWorkItems = true,

        // A second start of a running instance id is an error the caller should see, not a silent no-op.
        ThrowExceptionOnInvalidDedupeStatus = true,
        LoggerFactory = loggerFactory,
    };

    /// <summary>The provider's storage clients, each with the request log's policy.</summary>
    private static StorageAccountClientProvider CreateClientProvider(string connectionString, StorageRequestLog requests)
    {
        var blobs = new BlobClientOptions();
        blobs.AddPolicy(requests.PolicyFor("blob"), HttpPipelinePosition.PerRetry);
        var queues = new QueueClientOptions();
        queues.AddPolicy(requests.PolicyFor("queue"), HttpPipelinePosition.PerRetry);
        var tables = new TableClientOptions();
        tables.AddPolicy(requests.PolicyFor("table"), HttpPipelinePosition.PerRetry);
        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(connectionString, blobs),
            StorageServiceClientProvider.ForQueue(connectionString, queues),
            StorageServiceClientProvider.ForTable(connectionString, tables));
    }

    private static T Create<T>(IServiceProvider services, DurableFunctionEntry function)
        where T : class
        => DurableCatalog.Create(function, services) as T
           ?? throw new InvalidOperationException($"Durable function '{function.Name}' ({function.ImplementationType}) is not an {typeof(T).Name}.");
}

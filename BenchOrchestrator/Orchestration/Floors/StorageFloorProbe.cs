using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace FunctionsBench.BenchOrchestrator.Floors;

/// <summary>
/// Measures the storage floor (<see cref="StorageFloor"/>) on a scratch queue pair and a scratch table, which it creates
/// and always deletes again: leftover queues and messages slow every later queue call on Azurite.
/// </summary>
/// <remarks>
/// One step is what the Azure Storage provider does, at minimum, for one activity call of a sequential orchestration:
/// the orchestrator's work item (control-queue receive, History batch, Instances upsert, work-item send, control
/// delete) and the activity's (work-item receive, control send with its result, work-item delete). Exactly one control
/// message is in flight at a time, as in a sequential orchestration, so the queues never hold a backlog.
/// </remarks>
public sealed class StorageFloorProbe
{
    /// <summary>Storage operations per step.</summary>
    public const int OperationsPerStep = StorageFloor.StepOperations;

    /// <summary>Every scratch queue and table name starts with this; nothing else in a task hub does.</summary>
    public const string ScratchPrefix = "benchfloor";

    // Sizes of what the provider writes for one activity call of the greeter: a few hundred bytes per message and row.
    private static readonly string MessageBody = Pad("{\"$type\":\"DurableTask.AzureStorage.MessageData\",\"ActivityId\":\"00000000-0000-0000-0000-000000000000\",\"TaskMessage\":{\"Event\":{\"EventType\":4,\"Name\":\"SayHello\",\"Input\":\"\\\"Joe\\\"\"}}}", 600);
    private static readonly string HistoryInput = Pad("\"Joe\"", 120);
    private static readonly TimeSpan Invisible = TimeSpan.FromMinutes(5);

    private readonly QueueClient control;
    private readonly QueueClient workItems;
    private readonly TableServiceClient tables;
    private readonly TableClient table;
    private readonly string instanceId;
    private long nextRow;

    /// <summary>Prepares a probe on the account of <paramref name="connectionString"/>; nothing is created yet.</summary>
    /// <param name="connectionString">A storage connection string (<c>UseDevelopmentStorage=true</c> for Azurite).</param>
    /// <param name="scratchId">Lowercase letters and digits that make the scratch names unique; a new GUID's when null.</param>
    public StorageFloorProbe(string connectionString, string? scratchId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        scratchId ??= Guid.NewGuid().ToString("N")[..16];
        if (scratchId.Length is 0 or > 32 || !scratchId.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            throw new ArgumentException("The scratch id must be 1 to 32 lowercase letters and digits.", nameof(scratchId));
        }

        // A queue API version a year older than the SDK's newest: Azurite refuses versions newer than it knows unless
        // started with --skipApiVersionCheck, and the operations the floor uses have not changed since.
        var queueOptions = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2025_05_05);
        var tableOptions = new TableClientOptions();

        // Few, short retries: a retried operation would show as a slow step anyway, and an unreachable account must not
        // hold the run for the SDKs' default back-off of most of a minute.
        queueOptions.Diagnostics.ApplicationId = tableOptions.Diagnostics.ApplicationId = StorageOperations.BenchClientPrefix + "floor";
        foreach (RetryOptions retry in (RetryOptions[])[queueOptions.Retry, tableOptions.Retry])
        {
            retry.MaxRetries = 2;
            retry.Delay = TimeSpan.FromSeconds(0.2);
            retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        }

        var queues = new QueueServiceClient(connectionString, queueOptions);
        this.tables = new TableServiceClient(connectionString, tableOptions);
        this.ControlQueueName = $"{ScratchPrefix}-{scratchId}-control";
        this.WorkItemQueueName = $"{ScratchPrefix}-{scratchId}-workitems";
        this.TableName = $"{ScratchPrefix}{scratchId}";
        this.control = queues.GetQueueClient(this.ControlQueueName);
        this.workItems = queues.GetQueueClient(this.WorkItemQueueName);
        this.table = this.tables.GetTableClient(this.TableName);
        this.instanceId = $"floor-{scratchId}";
        this.Connection = IsAzurite(queues.Uri, queues.AccountName) ? "Azurite" : queues.AccountName;
        this.QueueEndpoint = new UriBuilder(queues.Uri) { Query = string.Empty }.Uri.ToString();
    }

    /// <summary>The scratch control queue.</summary>
    public string ControlQueueName { get; }

    /// <summary>The scratch work-item queue.</summary>
    public string WorkItemQueueName { get; }

    /// <summary>The scratch table (History rows and the Instances row).</summary>
    public string TableName { get; }

    /// <summary><c>Azurite</c> or the account name.</summary>
    public string Connection { get; }

    /// <summary>The queue endpoint without any query part.</summary>
    public string QueueEndpoint { get; }

    /// <summary>
    /// Creates the scratch queues and table, runs steps for <paramref name="warmup"/> without counting them, then for
    /// <paramref name="duration"/> timing each one, and deletes the scratch queues and table whatever happened.
    /// </summary>
    public async Task<StorageFloor> MeasureAsync(TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(warmup, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        Exception? failure = null;
        try
        {
            await this.control.CreateAsync(cancellationToken: cancellationToken);
            await this.workItems.CreateAsync(cancellationToken: cancellationToken);
            await this.table.CreateAsync(cancellationToken);

            // The orchestration's start message: every step consumes one control message and sends the next.
            await this.control.SendMessageAsync(MessageBody, cancellationToken);

            FloorSample sample = await FloorLoop.RunAsync(this.StepAsync, warmup, duration, cancellationToken);
            return new StorageFloor(
                sample.PerSecond, FloorMs.Of(sample.Ms), sample.Ms.Count, sample.WarmupSteps, sample.WarmupSeconds, sample.Seconds,
                OperationsPerStep, this.Connection, this.QueueEndpoint);
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            await this.DeleteScratchAsync(failure);
        }
    }

    /// <summary>Whether any of the scratch queues or the table exists (a measurement must leave none behind).</summary>
    public async Task<bool> AnyScratchExistsAsync(CancellationToken cancellationToken)
        => (await this.control.ExistsAsync(cancellationToken)).Value
           || (await this.workItems.ExistsAsync(cancellationToken)).Value
           || await this.tables.QueryAsync(t => t.Name == this.TableName, cancellationToken: cancellationToken).AnyAsync(cancellationToken);

    private async Task StepAsync(CancellationToken cancellationToken)
    {
        // Orchestrator work item.
        QueueMessage controlMessage = Single(await this.control.ReceiveMessagesAsync(1, Invisible, cancellationToken), this.ControlQueueName);
        var history = new List<TableTransactionAction>(4);
        foreach (string eventType in (string[])["OrchestratorStarted", "TaskScheduled", "OrchestratorCompleted", "TaskCompleted"])
        {
            history.Add(new TableTransactionAction(TableTransactionActionType.Add, this.HistoryRow(eventType)));
        }

        await this.table.SubmitTransactionAsync(history, cancellationToken);
        await this.table.UpsertEntityAsync(this.InstanceRow(), TableUpdateMode.Replace, cancellationToken);
        await this.workItems.SendMessageAsync(MessageBody, cancellationToken);
        await this.control.DeleteMessageAsync(controlMessage.MessageId, controlMessage.PopReceipt, cancellationToken);

        // Activity work item.
        QueueMessage workItem = Single(await this.workItems.ReceiveMessagesAsync(1, Invisible, cancellationToken), this.WorkItemQueueName);
        await this.control.SendMessageAsync(MessageBody, cancellationToken);
        await this.workItems.DeleteMessageAsync(workItem.MessageId, workItem.PopReceipt, cancellationToken);
    }

    private TableEntity HistoryRow(string eventType) => new(this.instanceId, (this.nextRow++).ToString("X16", CultureInfo.InvariantCulture))
    {
        ["EventType"] = eventType,
        ["ExecutionId"] = this.instanceId,
        ["Name"] = "SayHello",
        ["Input"] = HistoryInput,
        ["_Timestamp"] = DateTimeOffset.UtcNow,
    };

    private TableEntity InstanceRow() => new(this.instanceId, string.Empty)
    {
        ["RuntimeStatus"] = "Running",
        ["Name"] = nameof(BenchControlOrchestration),
        ["LastUpdatedTime"] = DateTimeOffset.UtcNow,
        ["Input"] = HistoryInput,
    };

    private async Task DeleteScratchAsync(Exception? measurementFailure)
    {
        // Cleanup runs even when the caller cancelled, with its own time limit.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var failures = new List<Exception>();
        foreach (Func<Task> delete in (Func<Task>[])[
            () => this.control.DeleteIfExistsAsync(timeout.Token),
            () => this.workItems.DeleteIfExistsAsync(timeout.Token),
            () => this.table.DeleteAsync(timeout.Token)])
        {
            try
            {
                await delete();
            }
            catch (Exception e) when (e is RequestFailedException or OperationCanceledException or TimeoutException)
            {
                failures.Add(e);
            }
        }

        // A failed cleanup must not hide the measurement's own failure; a cleanup failure after a good measurement is one.
        if (failures.Count > 0 && measurementFailure is null)
        {
            throw new AggregateException(
                $"The storage floor could not delete its scratch queues/table ({this.ControlQueueName}, {this.WorkItemQueueName}, {this.TableName}).", failures);
        }
    }

    private static QueueMessage Single(Response<QueueMessage[]> received, string queue)
        => received.Value is [var message]
            ? message
            : throw new InvalidOperationException($"Queue {queue} returned {received.Value.Length} messages where exactly one was waiting.");

    private static bool IsAzurite(Uri endpoint, string accountName)
        => accountName == "devstoreaccount1" && (endpoint.IsLoopback || endpoint.Host == "azurite");

    private static string Pad(string text, int length) => text.Length >= length ? text : text + new string(' ', length - text.Length);
}

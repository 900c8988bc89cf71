using System.Net;
using System.Text.Json.Nodes;
using FunctionsBench.BenchOrchestrator.Cost;
using FunctionsBench.BenchOrchestrator.History;
using FunctionsBench.BenchOrchestrator.Thesis;
using FunctionsBench.BenchOrchestrator.Warnings;
using Spectre.Console;

namespace FunctionsBench.Embedded.Run;

/// <summary>Where a run goes and what <c>./bench run</c> inspects around it.</summary>
/// <param name="Folder">The output folder.</param>
/// <param name="Storage">The task hub's storage, for the History table and the queue lengths.</param>
/// <param name="HistoryCheck">Whether to read the History table afterwards.</param>
/// <param name="RequestLog">The embedded host's storage request log; null for a Functions app.</param>
/// <param name="AzuriteProcessId">The Azurite this process started, counted as the bench in the machine's load.</param>
/// <param name="StorageProven">
/// Whether <paramref name="Storage"/> is known to be the app's (the embedded host's own, or <c>--connection</c>); when
/// not, the session reads History and queues only where it finds the run's instance (<see cref="AppStorage"/>).
/// </param>
public sealed record RunTarget(string Folder, TaskHubStorage Storage, bool HistoryCheck, StorageRequestLog? RequestLog, int? AzuriteProcessId, bool StorageProven = true)
{
    /// <summary>The embedded host's function executions; null for a Functions app.</summary>
    public ExecutionLog? Executions { get; init; }

    /// <summary>The price file the run's cost is computed with; null for none.</summary>
    public CostPrices? Prices { get; init; }

    /// <summary>The Functions app at <c>--target URL</c>; null for the embedded host. On this machine its processes are the measured system.</summary>
    public Uri? Remote { get; init; }

    /// <summary>What the run has left behind so far: whether its task hub may be deleted.</summary>
    public RunSaveState Saved { get; } = new();
}

/// <summary>What a run has written so far, for deciding whether its task hub may go.</summary>
public sealed class RunSaveState
{
    /// <summary>The run's id once started.</summary>
    public string? RunId { get; internal set; }

    /// <summary>Whether the run completed, so there is a measurement to keep.</summary>
    public bool Completed { get; internal set; }

    /// <summary>Where results.json was written; null until it was.</summary>
    public string? ResultsPath { get; internal set; }

    /// <summary>Whether every file was written to the output folder.</summary>
    public bool AllWritten { get; internal set; }

    /// <summary>The task hub may be deleted: nothing was measured, or every file of the measurement was written.</summary>
    public bool HubMayGo => !this.Completed || this.AllWritten;
}

/// <summary>
/// One run through the bench's HTTP API: start it, show progress, fetch the results, inspect the task hub, write the
/// files and print the tables. Used for the embedded host and for a Functions app at <c>--target URL</c> alike.
/// </summary>
public static class RunSession
{
    private static readonly TimeSpan QueueSampleInterval = TimeSpan.FromSeconds(1);

    /// <summary>The width the tables are laid out for when output is not a terminal.</summary>
    private const int MinimumWidth = 100;

    /// <summary>The console the commands write to, 100 columns wide when output is redirected.</summary>
    public static IAnsiConsole Console()
    {
        IAnsiConsole console = AnsiConsole.Console;
        if (System.Console.IsOutputRedirected && console.Profile.Width < MinimumWidth)
        {
            // Redirected output has no terminal width; Spectre's 80 columns would wrap the tables in logs.
            console.Profile.Width = MinimumWidth;
        }

        return console;
    }

    /// <summary>
    /// Starts <paramref name="request"/> and follows it to the end. Returns 0 when it completed with every timing
    /// recorded. A refused request or an unreachable target is a <see cref="BenchApiException"/> with one line to print.
    /// <paramref name="fits"/> (a calibration's) model the progress's time left.
    /// </summary>
    public static async Task<int> RunAsync(
        BenchApiClient client, JsonObject request, BenchSettings settings, RunTarget target, CancellationToken cancellationToken, IReadOnlyDictionary<string, RunTimeEstimate.Fit>? fits = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(target);
        IAnsiConsole console = Console();
        // A target on this machine (its host, worker and Azurite) is the measured system, not other load.
        string? appConnection = target.StorageProven ? target.Storage.ConnectionString : null;
        MachineLoadSampler load = target.Remote is { } remote
            ? new MachineLoadSampler(() => LocalProcesses.OfTarget(remote, appConnection), found => DescribeTarget(remote, found.Count))
            : new MachineLoadSampler(target.AzuriteProcessId);
        load.Start();
        (string id, Uri statusUri) = await client.StartAsync(JsonSerializer.SerializeToElement(request), cancellationToken);
        target.Saved.RunId = id;

        // Plain writes: a terminal wraps them without breaking the URI, and it stays one line to copy. The status URI's
        // code is the extension's system key, good for every management call of the task hub: it is not printed.
        System.Console.Out.WriteLine($"Run {id} started.");
        System.Console.Out.WriteLine($"Status: {BenchApiClient.WithoutKey(statusUri)}");
        string taskHub = target.Storage.Resolve(statusUri);

        // Queue lengths while the run goes, from the CLI: the app measures nothing extra for them. Storage that is not
        // proven to be the app's is not sampled: its empty queues would read as "no backlog".
        TaskHubStorage? storage = target.StorageProven ? target.Storage
            : await AppStorage.FindAsync(target.Storage.ConnectionString, taskHub, id, cancellationToken) is { } found ? target.Storage with { ConnectionString = found } : null;
        if (storage is null)
        {
            console.MarkupLine($"[yellow]Queue depths are not sampled[/]: the run's instance is not in task hub {Markup.Escape(taskHub)} of {Markup.Escape(AppStorage.Describe(target.Storage.ConnectionString))}, so that is not the app's storage (give --connection and --hub of the app's)");
        }

        var sampler = new QueueDepthSampler(storage?.ConnectionString ?? target.Storage.ConnectionString, taskHub, QueueSampleInterval);
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task sampling = storage is null ? Task.CompletedTask : sampler.RunAsync(stopSampling.Token);
        RunStatus status;
        try
        {
            status = await new ProgressDisplay(client, new ProgressEstimate(settings, fits: fits)).RunAsync(console, statusUri, cancellationToken);
        }
        finally
        {
            await stopSampling.CancelAsync();
            await sampling;
        }

        load.Capture();
        if (status.RuntimeStatus != "Completed")
        {
            console.MarkupLine($"[red]Run {id} ended {status.RuntimeStatus}[/]: {Markup.Escape(status.Output?.ToString() ?? "no output")}");
            return 1;
        }

        // The measurement exists now: results.json is written before anything else can fail (fetching the events,
        // reading History, rendering the report).
        target.Saved.Completed = true;
        ResultsDocument document = RunOutput.Parse(await client.GetResultsJsonAsync(id, cancellationToken));
        string folder = SaveResults(target, document, id);
        if (storage is null && target.HistoryCheck)
        {
            storage = await FindFromResultsAsync(console, target.Storage, taskHub, document, cancellationToken);
        }

        appConnection = storage?.ConnectionString;
        MachineLoad? machineLoad = load.Stop();

        IReadOnlyList<EventRecord> events = await client.GetEventsAsync(id, cancellationToken);
        Inspection inspection = await InspectAsync(console, document, events, sampling == Task.CompletedTask ? null : sampler, target with { Storage = storage ?? target.Storage, HistoryCheck = target.HistoryCheck && storage is not null }, taskHub, machineLoad, cancellationToken);
        IReadOnlyList<string> warnings = Warnings(document, inspection, folder);
        bool written = false;
        try
        {
            await RunOutput.WriteAsync(folder, document, inspection, events, warnings, cancellationToken);
            written = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            System.Console.Error.WriteLine($"bench run: writing the results to {Path.GetFullPath(folder)} failed: {e.Message}");
        }

        target.Saved.AllWritten = written && folder == target.Folder;
        ConsoleTables.PrintTables(console, document, inspection, events);
        ConsoleCost.Print(console, inspection);
        ConsoleHeadline.Print(console, document, warnings);
        if (written)
        {
            System.Console.Out.WriteLine($"Wrote {string.Join(", ", RunOutput.FileNames)} to {Path.GetFullPath(folder)}");
        }

        bool complete = document.Results.All(r => r.Recorded == r.Invocations);
        if (!complete)
        {
            console.MarkupLine("[red]Some results recorded fewer timing records than invocations.[/]");
        }

        return complete && target.Saved.AllWritten ? 0 : 1;
    }

    /// <summary>The measured system of a run at <paramref name="remote"/>, for the load warning.</summary>
    private static string DescribeTarget(Uri remote, int processes) => processes == 0
        ? $"this process (the target at {remote.Authority} was not found on this machine)"
        : $"this process and the target's {processes} local process{(processes == 1 ? string.Empty : "es")}";

    /// <summary>
    /// Writes results.json into the run's folder, or, when that fails, into a folder of its own under the temporary
    /// directory (said on standard error); returns the folder the rest goes to. When neither can be written the run's
    /// results stay in its task hub, which is then kept.
    /// </summary>
    private static string SaveResults(RunTarget target, ResultsDocument document, string id)
    {
        foreach (string folder in new[] { target.Folder, Path.Combine(Path.GetTempPath(), "functionsbench-" + id) })
        {
            try
            {
                target.Saved.ResultsPath = RunOutput.WriteResults(folder, document);
                if (folder != target.Folder)
                {
                    System.Console.Error.WriteLine($"bench run: {OutputFolder.ResultsFile} could not be written to {Path.GetFullPath(target.Folder)}; it is in {Path.GetFullPath(folder)}");
                }

                return folder;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                System.Console.Error.WriteLine($"bench run: writing {Path.Combine(Path.GetFullPath(folder), OutputFolder.ResultsFile)} failed: {e.Message}");
            }
        }

        return target.Folder;
    }

    /// <summary>After the run: the app's storage from results.json (its storage floor's queue endpoint), when the run's instance is there.</summary>
    private static async Task<TaskHubStorage?> FindFromResultsAsync(IAnsiConsole console, TaskHubStorage given, string taskHub, ResultsDocument document, CancellationToken cancellationToken)
    {
        string? endpoint = document.Floors?.Storage?.QueueEndpoint;
        string? candidate = endpoint is null ? null : AppStorage.AzuriteConnectionFor(endpoint);
        if (candidate is not null && candidate != given.ConnectionString
            && await AppStorage.FindAsync(candidate, taskHub, document.RunId, cancellationToken) is { } found)
        {
            console.MarkupLine($"The app's storage, from results.json's floors.storage.queueEndpoint: {Markup.Escape(AppStorage.Describe(found))}; History is read there.");
            return given with { ConnectionString = found };
        }

        string why = endpoint is null ? "results.json names no storage endpoint (no storage floor)"
            : candidate is null ? $"the app's queue endpoint {endpoint} is not a local Azurite this CLI can read without a key"
            : $"the run's instance is not in task hub {taskHub} at {endpoint}";
        console.MarkupLine($"[yellow]History is not read[/]: {Markup.Escape(why)}; give --connection and --hub of the app's storage.");
        return null;
    }

    /// <summary>The warnings of a run: floors against earlier runs beside its folder, floors within it, and the machine's load.</summary>
    public static IReadOnlyList<string> Warnings(ResultsDocument document, Inspection? inspection, string folder)
    {
        (IReadOnlyList<ResultsDocument> earlier, int unreadable) = EarlierRuns.Beside(folder);
        var warnings = RunWarnings.For(document, inspection, earlier).ToList();
        if (unreadable > 0)
        {
            warnings.Add($"{unreadable} results.json file(s) beside {folder} could not be read, so they do not count towards this machine's usual floors.");
        }

        return warnings;
    }

    private static async Task<Inspection> InspectAsync(
        IAnsiConsole console, ResultsDocument document, IReadOnlyList<EventRecord> events, QueueDepthSampler? sampler, RunTarget target, string taskHub,
        MachineLoad? machineLoad, CancellationToken cancellationToken)
    {
        IReadOnlyList<(DateTime At, int Control, int WorkItems)> samples = sampler?.Samples ?? [];
        if (sampler is not null && samples.Count == 0)
        {
            console.MarkupLine($"[yellow]Queue depths were not sampled[/]: {Markup.Escape(sampler.LastError ?? "no sample completed")}");
        }

        HistoryCheck? history = null;
        var orchestratorStarted = new List<DateTime>();
        if (target.HistoryCheck)
        {
            history = await console.Status().StartAsync(
                $"Reading {HistoryTableReader.TableName(taskHub)}...",
                _ => RunInspection.CheckHistoryAsync(target.Storage, taskHub, document, events, cancellationToken, orchestratorStarted));
        }

        IReadOnlyList<StorageRequestCount>? requests = null;
        IReadOnlyList<StorageFaultCount>? faults = null;
        IReadOnlyList<UnitDrift>? drift = null;
        if (target.RequestLog is { } log)
        {
            if (log.IsComplete)
            {
                requests = StorageOperations.PerUnit(log.Snapshot(), events);
                faults = StorageFaults.PerUnit(log.Attempts(), events);
                drift = LatencyDrift.Of(events, log.Snapshot());
            }
            else
            {
                console.MarkupLine($"[yellow]Storage requests not reported[/]: more than {StorageRequestLog.Capacity:N0} requests, {log.Dropped:N0} not kept");
            }
        }

        IReadOnlyList<ExecutionCount>? executions = null;
        if (target.Executions is { } dispatched)
        {
            if (dispatched.IsComplete)
            {
                executions = FunctionExecutions.PerUnit(dispatched.Snapshot(), events);
                executions = history is { Available: true } ? FunctionExecutions.WithHistory(executions, orchestratorStarted, events) : executions;
            }
            else
            {
                console.MarkupLine($"[yellow]Function executions not reported[/]: more than {ExecutionLog.Capacity:N0}, {dispatched.Dropped:N0} not kept");
            }
        }

        var inspection = new Inspection(document.RunId, history, samples.Count == 0 ? null : QueueDepthSample.Relative(samples, document.StartedAt), requests, faults)
        {
            Load = machineLoad,
            Drift = drift,
            Executions = executions,
        };
        return target.Prices?.Price(inspection) ?? inspection;
    }
}

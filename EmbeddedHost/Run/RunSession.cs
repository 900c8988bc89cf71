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
public sealed record RunTarget(string Folder, TaskHubStorage Storage, bool HistoryCheck, StorageRequestLog? RequestLog, int? AzuriteProcessId)
{
    /// <summary>The embedded host's function executions; null for a Functions app.</summary>
    public ExecutionLog? Executions { get; init; }

    /// <summary>The price file the run's cost is computed with; null for none.</summary>
    public CostPrices? Prices { get; init; }
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
        var load = new MachineLoadSampler(target.AzuriteProcessId);
        load.Start();
        (string id, Uri statusUri) = await client.StartAsync(JsonSerializer.SerializeToElement(request), cancellationToken);

        // Plain writes: a terminal wraps them without breaking the URI, and it stays one line to copy.
        System.Console.Out.WriteLine($"Run {id} started.");
        System.Console.Out.WriteLine($"Status: {statusUri}");
        string taskHub = target.Storage.Resolve(statusUri);

        // Queue lengths while the run goes, from the CLI: the app measures nothing extra for them.
        var sampler = new QueueDepthSampler(target.Storage.ConnectionString, taskHub, QueueSampleInterval);
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task sampling = sampler.RunAsync(stopSampling.Token);
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

        MachineLoad? machineLoad = load.Stop();
        if (status.RuntimeStatus != "Completed")
        {
            console.MarkupLine($"[red]Run {id} ended {status.RuntimeStatus}[/]: {Markup.Escape(status.Output?.ToString() ?? "no output")}");
            return 1;
        }

        ResultsDocument document = RunOutput.Parse(await client.GetResultsJsonAsync(id, cancellationToken));
        IReadOnlyList<EventRecord> events = await client.GetEventsAsync(id, cancellationToken);
        Inspection inspection = await InspectAsync(console, document, events, sampler, target, taskHub, machineLoad, cancellationToken);
        IReadOnlyList<string> warnings = Warnings(document, inspection, target.Folder);
        await RunOutput.WriteAsync(target.Folder, document, inspection, events, warnings, cancellationToken);
        ConsoleTables.PrintTables(console, document, inspection, events);
        ConsoleCost.Print(console, inspection);
        ConsoleHeadline.Print(console, document, warnings);
        System.Console.Out.WriteLine($"Wrote {string.Join(", ", RunOutput.FileNames)} to {Path.GetFullPath(target.Folder)}");
        bool complete = document.Results.All(r => r.Recorded == r.Invocations);
        if (!complete)
        {
            console.MarkupLine("[red]Some results recorded fewer timing records than invocations.[/]");
        }

        return complete ? 0 : 1;
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
        IAnsiConsole console, ResultsDocument document, IReadOnlyList<EventRecord> events, QueueDepthSampler sampler, RunTarget target, string taskHub,
        MachineLoad? machineLoad, CancellationToken cancellationToken)
    {
        IReadOnlyList<(DateTime At, int Control, int WorkItems)> samples = sampler.Samples;
        if (samples.Count == 0)
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
        if (target.RequestLog is { } log)
        {
            if (log.IsComplete)
            {
                requests = StorageOperations.PerUnit(log.Snapshot(), events);
                faults = StorageFaults.PerUnit(log.Attempts(), events);
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
            Executions = executions,
        };
        return target.Prices?.Price(inspection) ?? inspection;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsBench.BenchOrchestrator;
using FunctionsBench.BenchOrchestrator.History;
using FunctionsBench.Embedded.Azurite;
using FunctionsBench.Embedded.Durable;
using FunctionsBench.Embedded.Run;
using FunctionsBench.Embedded.Web;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace FunctionsBench.Embedded.Commands;

/// <summary>
/// <c>run</c>: starts Azurite and the embedded host (or drives a Functions app at <c>--target URL</c>), POSTs
/// <c>/api/bench</c>, shows progress from the custom status, prints the tables and writes the four files.
/// </summary>
internal static class RunCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan QueueSampleInterval = TimeSpan.FromSeconds(1);

    /// <summary>The width the tables are laid out for when output is not a terminal.</summary>
    private const int MinimumWidth = 100;

    public static Command Create()
    {
        var host = new HostCommandOptions();
        var scenarios = new Option<string?>("--scenarios") { Description = $"Comma-separated scenarios (default all: {string.Join(",", Scenarios.All)})" };
        var invocations = new Option<string?>("--invocations") { Description = "Comma-separated invocation counts N (default 1000)" };
        var repetitions = new Option<int?>("--repetitions") { Description = "Repetitions of each (scenario, N) (default 1)" };
        var mode = new Option<string?>("--mode") { Description = "single | checkpointed (default checkpointed)" };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Invocations between checkpoints (default 100)" };
        var parallelism = new Option<int?>("--parallelism") { Description = "Invocations in flight (default 1: sequential, as the thesis)" };
        var warmup = new Option<int?>("--warmup") { Description = $"Unrecorded invocations of each Durable Functions scenario before the first unit (default {BenchRequestParser.DefaultWarmup}; 0: none)" };
        var stateFunUrl = new Option<string?>("--statefun-url") { Description = "StateFun endpoint to drive (default: the host's own greeter)" };
        var target = new Option<string>("--target") { Description = "embedded, or the base URL of a running Functions app (func start)", DefaultValueFactory = _ => "embedded" };
        var code = new Option<string?>("--code") { Description = "Function key for --target URL" };
        var output = new Option<string?>("--out") { Description = "Output folder (default results/<timestamp>)" };
        var keepHub = new Option<bool>("--keep-hub") { Description = "Keep the run's task hub in storage afterwards (default: a fresh hub per run, deleted at the end)" };
        var skipHistory = new Option<bool>("--skip-history-check") { Description = "Do not read the task hub's History table after the run (large runs take a while to read)" };

        var command = new Command("run", "Run the benchmark and write results.json, results.csv, events.csv and report.html");
        foreach (Option option in new Option[] { scenarios, invocations, repetitions, mode, checkpointEvery, parallelism, warmup, stateFunUrl, target, code, output, keepHub, skipHistory })
        {
            command.Options.Add(option);
        }

        host.AddTo(command, http: false);
        command.SetAction(async (result, cancellationToken) =>
        {
            JsonObject request;
            try
            {
                request = BuildRequest(result.GetValue(scenarios), result.GetValue(invocations), result.GetValue(repetitions), result.GetValue(mode),
                    result.GetValue(checkpointEvery), result.GetValue(parallelism), result.GetValue(stateFunUrl), result.GetValue(warmup));
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine($"bench run: {ex.Message}");
                return 2;
            }

            string folder = result.GetValue(output) ?? RunOutput.DefaultFolder(DateTime.Now);
            string targetValue = result.GetRequiredValue(target);
            bool historyCheck = !result.GetValue(skipHistory);
            string? connection = result.GetValue(host.Connection);
            string? explicitHub = result.GetValue(host.Hub);
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            if (targetValue != "embedded")
            {
                if (!Uri.TryCreate(targetValue.EndsWith('/') ? targetValue : targetValue + "/", UriKind.Absolute, out Uri? baseAddress))
                {
                    Console.Error.WriteLine($"bench run: --target must be 'embedded' or an absolute URL, not '{targetValue}'");
                    return 2;
                }

                // The app's own task hub: --connection/--hub, else the status URI's taskHub on the development storage.
                var appStorage = new TaskHubStorage(connection ?? EmbeddedHostOptions.DevelopmentStorage, explicitHub);
                return await RunAsync(new BenchApiClient(http, baseAddress, result.GetValue(code)), request, folder, appStorage, historyCheck, requestLog: null, cancellationToken);
            }

            bool verbose = result.GetValue(host.Verbose);
            using ILoggerFactory loggerFactory = CommandLogging.CreateFactory(verbose);
            await using AzuriteProcess? azurite = await host.StartAzuriteAsync(result, loggerFactory, cancellationToken);
            EmbeddedHostOptions durable = host.Durable(result, azurite);
            if (explicitHub is null)
            {
                // A fresh hub per run: no backlog or history of earlier runs slows this one.
                durable.TaskHubName = "bench" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            }

            await using EmbeddedWebHost embedded = await EmbeddedWebHost.StartAsync(
                new EmbeddedWebHostOptions { Port = 0, BindAddress = "127.0.0.1" }, durable, CommandLogging.Configure(verbose), cancellationToken: cancellationToken);
            await HostCommandOptions.ReportLeftoversAsync(azurite, embedded.TaskHubName, loggerFactory, cancellationToken);
            try
            {
                var storage = new TaskHubStorage(durable.ConnectionString, embedded.TaskHubName);
                return await RunAsync(
                    new BenchApiClient(http, embedded.BaseAddress, functionKey: null), request, folder, storage, historyCheck, embedded.StorageRequests, cancellationToken);
            }
            finally
            {
                if (!result.GetValue(keepHub))
                {
                    await embedded.DeleteTaskHubAsync();
                }
            }
        });
        return command;
    }

    /// <summary>The POST /api/bench body: only what was given, so the server's documented defaults apply to the rest.</summary>
    internal static JsonObject BuildRequest(
        string? scenarios, string? invocations, int? repetitions, string? mode, int? checkpointEvery, int? parallelism, string? stateFunUrl, int? warmup = null)
    {
        var body = new JsonObject();
        if (scenarios is not null)
        {
            body["scenarios"] = new JsonArray(scenarios.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => (JsonNode)s).ToArray());
        }

        if (invocations is not null)
        {
            var counts = new JsonArray();
            foreach (string n in invocations.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                counts.Add(int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int count)
                    ? count
                    : throw new FormatException($"--invocations takes whole numbers separated by commas, not '{n}'"));
            }

            body["invocations"] = counts;
        }

        if (repetitions is int r)
        {
            body["repetitions"] = r;
        }

        if (mode is not null)
        {
            body["mode"] = mode;
        }

        if (checkpointEvery is int c)
        {
            body["checkpointEvery"] = c;
        }

        if (parallelism is int p)
        {
            body["parallelism"] = p;
        }

        if (warmup is int w)
        {
            body["warmup"] = w;
        }

        if (stateFunUrl is not null)
        {
            body["stateFunUrl"] = stateFunUrl;
        }

        return body;
    }

    private static async Task<int> RunAsync(
        BenchApiClient client, JsonObject request, string folder, TaskHubStorage storage, bool historyCheck, StorageRequestLog? requestLog, CancellationToken cancellationToken)
    {
        IAnsiConsole console = AnsiConsole.Console;
        if (Console.IsOutputRedirected && console.Profile.Width < MinimumWidth)
        {
            // Redirected output has no terminal width; Spectre's 80 columns would wrap the tables in logs.
            console.Profile.Width = MinimumWidth;
        }

        (string id, Uri statusUri) = await client.StartAsync(JsonSerializer.SerializeToElement(request), cancellationToken);
        console.MarkupLine($"Run [bold]{id}[/] started; status: {Markup.Escape(statusUri.ToString())}");
        string taskHub = storage.Resolve(statusUri);

        // Queue lengths while the run goes, from the CLI: the app measures nothing extra for them.
        var sampler = new QueueDepthSampler(storage.ConnectionString, taskHub, QueueSampleInterval);
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task sampling = sampler.RunAsync(stopSampling.Token);
        RunStatus status;
        try
        {
            status = await PollAsync(console, client, statusUri, cancellationToken);
        }
        finally
        {
            await stopSampling.CancelAsync();
            await sampling;
        }

        if (status.RuntimeStatus != "Completed")
        {
            console.MarkupLine($"[red]Run {id} ended {status.RuntimeStatus}[/]: {Markup.Escape(status.Output?.ToString() ?? "no output")}");
            return 1;
        }

        ResultsDocument document = RunOutput.Parse(await client.GetResultsJsonAsync(id, cancellationToken));
        IReadOnlyList<EventRecord> events = await client.GetEventsAsync(id, cancellationToken);
        IReadOnlyList<(DateTime At, int Control, int WorkItems)> samples = sampler.Samples;
        if (samples.Count == 0)
        {
            console.MarkupLine($"[yellow]Queue depths were not sampled[/]: {Markup.Escape(sampler.LastError ?? "no sample completed")}");
        }

        HistoryCheck? history = null;
        if (historyCheck)
        {
            history = await console.Status().StartAsync(
                $"Reading {HistoryTableReader.TableName(taskHub)}...",
                _ => RunInspection.CheckHistoryAsync(storage, taskHub, document, events, cancellationToken));
        }

        IReadOnlyList<StorageRequestCount>? requests = null;
        if (requestLog is not null)
        {
            if (requestLog.IsComplete)
            {
                requests = StorageOperations.PerUnit(requestLog.Snapshot(), events);
            }
            else
            {
                console.MarkupLine($"[yellow]Storage requests not reported[/]: more than {StorageRequestLog.Capacity:N0} requests, {requestLog.Dropped:N0} not kept");
            }
        }

        var inspection = new Inspection(
            document.RunId, history, samples.Count == 0 ? null : QueueDepthSample.Relative(samples, document.StartedAt), requests,
            requestLog is { IsComplete: true } ? StorageFaults.PerUnit(requestLog.Attempts(), events) : null);
        await RunOutput.WriteAsync(folder, document, inspection, events, HtmlReport.Build(document, inspection, events), cancellationToken);
        RunOutput.PrintTables(console, document, inspection);
        console.MarkupLine($"Wrote {string.Join(", ", RunOutput.FileNames)} to [bold]{Markup.Escape(Path.GetFullPath(folder))}[/]");
        bool complete = document.Results.All(r => r.Recorded == r.Invocations);
        if (!complete)
        {
            console.MarkupLine("[red]Some results recorded fewer timing records than invocations.[/]");
        }

        return complete ? 0 : 1;
    }

    /// <summary>Shows progress from the custom status until the run ends.</summary>
    private static Task<RunStatus> PollAsync(IAnsiConsole console, BenchApiClient client, Uri statusUri, CancellationToken cancellationToken)
        => console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                ProgressTask task = progress.AddTask("starting", maxValue: 1);
                while (true)
                {
                    RunStatus current = await client.GetStatusAsync(statusUri, cancellationToken);
                    if (current.Progress is { } p)
                    {
                        // The running unit's orchestration says how far it is.
                        UnitProgress? unit = p is { Phase: "units", UnitInstanceId: { } unitId } ? await client.GetUnitProgressAsync(statusUri, unitId, cancellationToken) : null;
                        task.MaxValue = Math.Max(1, p.TotalOverall);
                        task.Value = p.DoneOverall + (unit?.Done ?? 0);
                        task.Description = p.Phase == "units" ? $"{p.Scenario} N={p.Invocations} rep {p.Repetition} ({p.Unit}/{p.Units})" : p.Phase;
                    }

                    if (current.RuntimeStatus is "Completed" or "Failed" or "Terminated" or "Canceled")
                    {
                        return current;
                    }

                    await Task.Delay(PollInterval, cancellationToken);
                }
            });
}

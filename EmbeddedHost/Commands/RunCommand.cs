using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsBench.BenchOrchestrator;
using FunctionsBench.Embedded.Azurite;
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

    public static Command Create()
    {
        var host = new HostCommandOptions();
        var scenarios = new Option<string?>("--scenarios") { Description = $"Comma-separated scenarios (default all: {string.Join(",", Scenarios.All)})" };
        var invocations = new Option<string?>("--invocations") { Description = "Comma-separated invocation counts N (default 1000)" };
        var repetitions = new Option<int?>("--repetitions") { Description = "Repetitions of each (scenario, N) (default 1)" };
        var mode = new Option<string?>("--mode") { Description = "single | checkpointed (default checkpointed)" };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Invocations between checkpoints (default 100)" };
        var parallelism = new Option<int?>("--parallelism") { Description = "Invocations in flight (default 1: sequential, as the thesis)" };
        var stateFunUrl = new Option<string?>("--statefun-url") { Description = "StateFun endpoint to drive (default: the host's own greeter)" };
        var target = new Option<string>("--target") { Description = "embedded, or the base URL of a running Functions app (func start)", DefaultValueFactory = _ => "embedded" };
        var code = new Option<string?>("--code") { Description = "Function key for --target URL" };
        var output = new Option<string?>("--out") { Description = "Output folder (default results/<timestamp>)" };
        var keepHub = new Option<bool>("--keep-hub") { Description = "Keep the run's task hub in storage afterwards (default: a fresh hub per run, deleted at the end)" };

        var command = new Command("run", "Run the benchmark and write results.json, results.csv, events.csv and report.html");
        foreach (Option option in new Option[] { scenarios, invocations, repetitions, mode, checkpointEvery, parallelism, stateFunUrl, target, code, output, keepHub })
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
                    result.GetValue(checkpointEvery), result.GetValue(parallelism), result.GetValue(stateFunUrl));
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine($"bench run: {ex.Message}");
                return 2;
            }

            string folder = result.GetValue(output) ?? RunOutput.DefaultFolder(DateTime.Now);
            string targetValue = result.GetRequiredValue(target);
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            if (targetValue != "embedded")
            {
                if (!Uri.TryCreate(targetValue.EndsWith('/') ? targetValue : targetValue + "/", UriKind.Absolute, out Uri? baseAddress))
                {
                    Console.Error.WriteLine($"bench run: --target must be 'embedded' or an absolute URL, not '{targetValue}'");
                    return 2;
                }

                return await RunAsync(new BenchApiClient(http, baseAddress, result.GetValue(code)), request, folder, cancellationToken);
            }

            bool verbose = result.GetValue(host.Verbose);
            using ILoggerFactory loggerFactory = CommandLogging.CreateFactory(verbose);
            string? connection = result.GetValue(host.Connection);
            await using AzuriteProcess? azurite = connection is null
                ? await AzuriteProcess.EnsureStartedAsync(host.Azurite(result), loggerFactory.CreateLogger<AzuriteProcess>(), cancellationToken)
                : null;

            EmbeddedHostOptions durable = host.Durable(result, connection ?? azurite!.ConnectionString);
            if (result.GetResult(host.Hub) is null or { Implicit: true })
            {
                // A fresh hub per run: no backlog or history of earlier runs slows this one (see AZURITE-NOTES).
                durable.TaskHubName = "bench" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            }

            await using EmbeddedWebHost embedded = await EmbeddedWebHost.StartAsync(
                new EmbeddedWebHostOptions { Port = 0, BindAddress = "127.0.0.1" }, durable, CommandLogging.Configure(verbose), cancellationToken: cancellationToken);
            try
            {
                return await RunAsync(new BenchApiClient(http, embedded.BaseAddress, functionKey: null), request, folder, cancellationToken);
            }
            finally
            {
                if (!result.GetValue(keepHub))
                {
                    await embedded.StopAsync(CancellationToken.None);
                    await embedded.DurableHost.DeleteTaskHubAsync();
                }
            }
        });
        return command;
    }

    /// <summary>The POST /api/bench body: only what was given, so the server's documented defaults apply to the rest.</summary>
    internal static JsonObject BuildRequest(string? scenarios, string? invocations, int? repetitions, string? mode, int? checkpointEvery, int? parallelism, string? stateFunUrl)
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

        if (stateFunUrl is not null)
        {
            body["stateFunUrl"] = stateFunUrl;
        }

        return body;
    }

    private static async Task<int> RunAsync(BenchApiClient client, JsonObject request, string folder, CancellationToken cancellationToken)
    {
        IAnsiConsole console = AnsiConsole.Console;
        (string id, Uri statusUri) = await client.StartAsync(JsonSerializer.SerializeToElement(request), cancellationToken);
        console.MarkupLine($"Run [bold]{id}[/] started; status: {Markup.Escape(statusUri.ToString())}");

        RunStatus status = await console.Progress()
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
                        task.MaxValue = Math.Max(1, p.TotalOverall);
                        task.Value = p.DoneOverall;
                        task.Description = $"{p.Scenario} N={p.Invocations} rep {p.Repetition} ({p.Unit}/{p.Units})";
                    }

                    if (current.RuntimeStatus is "Completed" or "Failed" or "Terminated" or "Canceled")
                    {
                        return current;
                    }

                    await Task.Delay(PollInterval, cancellationToken);
                }
            });

        if (status.RuntimeStatus != "Completed")
        {
            console.MarkupLine($"[red]Run {id} ended {status.RuntimeStatus}[/]: {Markup.Escape(status.Output?.ToString() ?? "no output")}");
            return 1;
        }

        ResultsDocument document = await RunOutput.WriteAsync(
            folder,
            await client.GetResultsJsonAsync(id, cancellationToken),
            await client.GetEventsCsvAsync(id, cancellationToken),
            await client.GetReportAsync(id, cancellationToken),
            cancellationToken);
        RunOutput.PrintTables(console, document);
        console.MarkupLine($"Wrote {string.Join(", ", RunOutput.FileNames)} to [bold]{Markup.Escape(Path.GetFullPath(folder))}[/]");
        bool complete = document.Results.All(r => r.Recorded == r.Invocations);
        if (!complete)
        {
            console.MarkupLine("[red]Some results recorded fewer timing records than invocations.[/]");
        }

        return complete ? 0 : 1;
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;
using FunctionsBench.BenchOrchestrator.Thesis;
using FunctionsBench.Embedded.Azurite;
using FunctionsBench.Embedded.Run;
using FunctionsBench.Embedded.Web;

namespace FunctionsBench.Embedded.Commands;

/// <summary>
/// <c>run</c>: checks every flag with the server's own rules, then starts Azurite and the embedded host (or drives a
/// Functions app at <c>--target URL</c>), runs the benchmark through POST /api/bench and writes the results folder.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var host = new HostCommandOptions(hubDefault: "a fresh hub per run, deleted afterwards unless --keep-hub");
        var request = new RequestFlags();
        var thesis = new Option<bool>("--thesis")
        {
            Description = $"The thesis' procedure: df-activity at N = {string.Join(", ", ThesisTables.InvocationsByScenario[Scenarios.DfActivity])}, statefun at " +
                $"{string.Join(", ", ThesisTables.InvocationsByScenario[Scenarios.StateFun])}, {ThesisTables.Repetitions} repetitions, {ThesisTables.Mode} mode, " +
                "host.defaults.json unless --host-json; prints a time estimate from a short calibration first",
        };
        var estimateOnly = new Option<bool>("--estimate") { Description = "With --thesis: print the time estimate and stop" };
        var target = new Option<string>("--target") { Description = "embedded, or the base URL of a running Functions app (func start)", DefaultValueFactory = _ => "embedded" };
        var code = new Option<string?>("--code") { Description = "Function key of the app at --target URL (where it checks keys: Azure, func start --enableAuth)" };
        var systemKey = new Option<string?>("--system-key")
        {
            Description = "The Durable Functions extension's system key (durabletask_extension) for the status URIs of --target URL, when the app's status URI lacks it",
        };
        var output = new Option<string?>("--out") { Description = "Output folder (default results/<yyyyMMdd-HHmmss>); checked before the run starts" };
        var force = new Option<bool>("--force") { Description = "Write into an --out folder that already holds a run, overwriting it" };
        var keepHub = new Option<bool>("--keep-hub") { Description = "Keep the run's task hub in storage afterwards" };
        var skipHistory = new Option<bool>("--skip-history-check") { Description = "Do not read the task hub's History table after the run (large runs take a while to read)" };
        var prices = new Option<string?>("--prices") { Description = "Price file the run's cost per million invocations is computed with (default prices/azure-2026-12.json)" };

        var command = new Command("run", $"Run the benchmark and write {string.Join(", ", RunOutput.FileNames)} to a results folder");
        foreach (Option option in request.All.Concat([thesis, estimateOnly, target, code, systemKey, output, force, keepHub, skipHistory, prices]))
        {
            command.Options.Add(option);
        }

        host.AddTo(command, http: false);
        command.SetAction((result, cancellationToken) => CliErrors.HandleAsync("run", result.GetValue(host.Verbose), async () =>
        {
            // Everything the user typed is checked before Azurite or a host starts.
            bool useThesis = result.GetValue(thesis);
            if (useThesis && (result.GetValue(request.Scenarios) is not null || result.GetValue(request.Invocations) is not null || result.GetValue(request.Mode) is not null))
            {
                throw new CliException("--thesis sets the scenarios, N and mode of Tables 5.3 and 5.4; leave out --scenarios, --invocations and --mode");
            }

            if (result.GetValue(estimateOnly) && !useThesis)
            {
                throw new CliException("--estimate goes with --thesis");
            }

            JsonObject body = request.Body(result, useThesis ? ThesisPreset.Body() : null);
            string targetValue = result.GetRequiredValue(target);
            Uri? baseAddress = targetValue == "embedded" ? null
                : Uri.TryCreate(targetValue.EndsWith('/') ? targetValue : targetValue + "/", UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https" ? uri
                : throw new CliException($"--target must be 'embedded' or an absolute http(s) URL, not '{targetValue}'");
            BenchSettings settings = request.Validate(body, remoteTarget: baseAddress is not null);
            if (baseAddress is not null)
            {
                // The app's own configuration decides these; accepting them would ignore them silently.
                Option[] embeddedOnly = [host.HostJson, host.Partitions, host.ExtendedSessions, host.MaxPollingMs, host.ControlBatch, host.AzuriteData, host.AzuritePort, host.AzuriteMode, keepHub];
                string[] given = [.. embeddedOnly.Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name)];
                if (given.Length > 0)
                {
                    throw new CliException($"{string.Join(", ", given)} set{(given.Length == 1 ? "s" : string.Empty)} up the embedded host and do{(given.Length == 1 ? "es" : string.Empty)} not apply to --target URL: the app's host.json, storage and task hub are its own");
                }
            }
            else if (result.GetValue(code) is not null || result.GetValue(systemKey) is not null)
            {
                throw new CliException($"{(result.GetValue(code) is not null ? "--code" : "--system-key")} goes with --target URL; the embedded host of ./bench run checks no keys");
            }

            CostPrices costPrices = CostPrices.Load(result.GetValue(prices));

            string? hostJson = result.GetValue(host.HostJson) ?? (useThesis && baseAddress is null ? ThesisPreset.DefaultHostJson(HostJsonSettings.FindDefault()) : null);
            host.Check(result, hostJson, readHostJson: baseAddress is null);

            // The output folder last: every check before it passed, so a refused command leaves no folder behind.
            OutputFolder? folder = result.GetValue(estimateOnly) ? null
                : OutputFolder.Claim(result.GetValue(output) ?? RunOutput.DefaultFolder(DateTime.Now), "--out", result.GetValue(force));
            try
            {
                return await RunAsync(result, host, body, settings, baseAddress, folder?.Path ?? RunOutput.DefaultFolder(DateTime.Now), hostJson, costPrices, cancellationToken);
            }
            finally
            {
                folder?.ReleaseIfUnused();
            }
        }));
        return command;

        async Task<int> RunAsync(ParseResult result, HostCommandOptions host, JsonObject body, BenchSettings settings, Uri? baseAddress, string folder, string? hostJson, CostPrices costPrices, CancellationToken cancellationToken)
        {
            bool useThesis = result.GetValue(thesis);
            string? connection = result.GetValue(host.Connection);
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            if (baseAddress is not null)
            {
                // The app's own task hub: --connection/--hub, else the status URI's taskHub, read only where the run's
                // instance is found (the development storage, or the Azurite results.json names).
                var client = new BenchApiClient(http, baseAddress, result.GetValue(code), result.GetValue(systemKey));
                var appStorage = new TaskHubStorage(connection ?? EmbeddedHostOptions.DevelopmentStorage, result.GetValue(host.Hub));
                var remote = new RunTarget(folder, appStorage, !result.GetValue(skipHistory), null, null, StorageProven: connection is not null) { Remote = baseAddress, Prices = costPrices };
                try
                {
                    return await StartAsync(client, body, settings, useThesis, result.GetValue(estimateOnly), remote, cancellationToken);
                }
                finally
                {
                    if (!remote.Saved.HubMayGo)
                    {
                        Console.Error.WriteLine($"bench run: the results were not all written; GET {baseAddress}api/bench/{remote.Saved.RunId} (and /events) returns them while the app keeps its task hub");
                    }
                }
            }

            bool verbose = result.GetValue(host.Verbose);
            using ILoggerFactory loggerFactory = CommandLogging.CreateFactory(verbose, quiet: true, stopping: cancellationToken);
            await using AzuriteProcess? azurite = await host.StartAzuriteAsync(result, loggerFactory, cancellationToken);
            EmbeddedHostOptions durable = host.Durable(result, azurite);
            durable.HostJsonPath = hostJson;
            if (result.GetValue(host.Hub) is null)
            {
                // A fresh hub per run: no backlog or history of earlier runs slows this one.
                durable.TaskHubName = "bench" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            }

            await using EmbeddedWebHost embedded = await EmbeddedWebHost.StartAsync(
                new EmbeddedWebHostOptions { Port = 0, BindAddress = "127.0.0.1" }, durable, CommandLogging.Configure(verbose, quiet: true, stopping: cancellationToken), cancellationToken: cancellationToken);
            await HostCommandOptions.ReportLeftoversAsync(azurite, embedded.TaskHubName, loggerFactory, cancellationToken);
            var storage = new TaskHubStorage(durable.ConnectionString, embedded.TaskHubName);
            var runTarget = new RunTarget(folder, storage, !result.GetValue(skipHistory), embedded.StorageRequests, azurite?.ProcessId)
            {
                Executions = embedded.Executions,
                Prices = costPrices,
            };
            try
            {
                return await StartAsync(new BenchApiClient(http, embedded.BaseAddress, functionKey: null), body, settings, useThesis, result.GetValue(estimateOnly), runTarget, cancellationToken);
            }
            finally
            {
                // The task hub holds the run until every file is written: a measurement is never deleted unsaved.
                if (!runTarget.Saved.HubMayGo)
                {
                    string where = azurite is { IsOwned: true } && durable.AzuriteMode == "memory" ? " (but this Azurite keeps it in memory only: it is gone when Azurite stops)" : string.Empty;
                    Console.Error.WriteLine($"bench run: task hub {embedded.TaskHubName} kept{where}: ./bench serve --hub {embedded.TaskHubName} then GET /api/bench/{runTarget.Saved.RunId} returns the run again");
                }
                else if (!result.GetValue(keepHub))
                {
                    await embedded.DeleteTaskHubAsync();
                }
            }
        }
    }

    /// <summary>With <paramref name="thesis"/>, the time estimate first (and only it, with <paramref name="estimateOnly"/>); then the run.</summary>
    private static async Task<int> StartAsync(BenchApiClient client, JsonObject body, BenchSettings settings, bool thesis, bool estimateOnly, RunTarget target, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, RunTimeEstimate.Fit>? fits = null;
        if (thesis)
        {
            fits = await ThesisPreset.EstimateAsync(client, body, settings, cancellationToken);
            if (estimateOnly)
            {
                return 0;
            }
        }

        return await RunSession.RunAsync(client, body, settings, target, cancellationToken, fits);
    }
}

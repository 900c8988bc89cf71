using System.CommandLine;
using FunctionsBench.BenchOrchestrator.Cost;
using FunctionsBench.Embedded.Azurite;
using FunctionsBench.Embedded.Run;
using FunctionsBench.Embedded.Web;
using Spectre.Console;

namespace FunctionsBench.Embedded.Commands;

/// <summary>
/// <c>idle</c>: what an idle task hub costs per day. Starts Azurite and the embedded host on a fresh task hub, lets it
/// settle, counts every storage request its worker sends over a stated interval with nothing to do, and prices them per
/// day, with the scale controller's documented reads added. Prints the figures; asserts nothing.
/// </summary>
internal static class IdleCommand
{
    public static Command Create()
    {
        var host = new HostCommandOptions(hubDefault: "a fresh hub, deleted afterwards");
        var seconds = new Option<int>("--seconds") { Description = "How long to count the idle worker's requests", DefaultValueFactory = _ => 180 };
        var settle = new Option<int>("--settle") { Description = "Seconds to wait first, so start-up (creating the task hub, taking leases) is not counted", DefaultValueFactory = _ => 45 };
        var prices = new Option<string?>("--prices") { Description = "Price file (default prices/azure-2026-12.json)" };
        var command = new Command("idle", "Count the requests an idle task hub's worker sends and print what a day of them costs") { seconds, settle, prices };
        host.AddTo(command, http: false);
        command.SetAction((result, cancellationToken) => CliErrors.HandleAsync("idle", result.GetValue(host.Verbose), async () =>
        {
            int measure = result.GetValue(seconds), wait = result.GetValue(settle);
            if (measure is < 10 or > 86_400 || wait is < 0 or > 3_600)
            {
                throw new CliException("--seconds must be 10 to 86400 and --settle 0 to 3600");
            }

            CostPrices costPrices = CostPrices.Load(result.GetValue(prices));
            host.Check(result, result.GetValue(host.HostJson));
            bool verbose = result.GetValue(host.Verbose);
            using ILoggerFactory loggerFactory = CommandLogging.CreateFactory(verbose, quiet: true, stopping: cancellationToken);
            await using AzuriteProcess? azurite = await host.StartAzuriteAsync(result, loggerFactory, cancellationToken);
            EmbeddedHostOptions durable = host.Durable(result, azurite);
            if (result.GetValue(host.Hub) is null)
            {
                durable.TaskHubName = "idle" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            }

            await using EmbeddedWebHost embedded = await EmbeddedWebHost.StartAsync(
                new EmbeddedWebHostOptions { Port = 0, BindAddress = "127.0.0.1" }, durable, CommandLogging.Configure(verbose, quiet: true, stopping: cancellationToken), cancellationToken: cancellationToken);
            try
            {
                ExtensionConfiguration configuration = embedded.Configuration;
                int partitions = configuration.PartitionCount ?? 4;
                Console.Out.WriteLine(
                    $"Idle task hub {embedded.TaskHubName} ({embedded.HostJson.Path}): {partitions} partitions, polling up to {configuration.MaxQueuePollingInterval?.TotalSeconds ?? 30:0.#} s, " +
                    $"extended sessions {(configuration.ExtendedSessions ? "on" : "off")}. Settling {wait} s, then counting for {measure} s...");
                await Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken);
                DateTime from = DateTime.UtcNow;
                await Task.Delay(TimeSpan.FromSeconds(measure), cancellationToken);
                DateTime to = DateTime.UtcNow;
                Dictionary<string, long> requests = embedded.StorageRequests.Snapshot().Where(r => r.At >= from && r.At < to)
                    .GroupBy(r => r.Operation).ToDictionary(g => g.Key, g => g.LongCount(), StringComparer.Ordinal);
                Print(RunSession.Console(), IdleCost.Of(costPrices.File, (to - from).TotalSeconds, partitions, requests), costPrices);
                return 0;
            }
            finally
            {
                await embedded.DeleteTaskHubAsync();
            }
        }));
        return command;
    }

    private static void Print(IAnsiConsole console, IdleCost idle, CostPrices prices)
    {
        string counts = string.Join(", ", idle.WorkerRequests.OrderByDescending(p => p.Value).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value}")));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Worker requests in {idle.Seconds:0.#} s: {idle.WorkerRequests.Values.Sum()} ({counts}); {idle.WorkerRequests.Values.Sum() * IdleCost.Day / idle.Seconds:#,0} per day."));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Scale controller (Consumption and Premium plans), every {prices.File.ScaleControllerIntervalSeconds.Value:0.#} s as azure-functions-durable-extension #391 reported: {idle.ScaleControllerPerDay.Values.Sum():#,0} requests per day."));
        var table = new Table { Title = new TableTitle($"Idle task hub, $ per day ({prices.Identity.Id}; >= : part not priced)") };
        table.AddColumns("Account", "Worker", "Scale controller", "Total");
        foreach (IdleAccountCost account in idle.Accounts)
        {
            string prefix = account.Complete ? string.Empty : ">=";
            table.AddRow(account.Account, Markup.Escape(prefix + Money(account.WorkerDollarsPerDay)), Markup.Escape(prefix + Money(account.ScaleControllerDollarsPerDay)),
                Markup.Escape(prefix + Money(account.DollarsPerDay)));
        }

        console.Write(table);
        foreach (CostLine line in idle.Accounts.SelectMany(a => a.Lines))
        {
            Console.Out.WriteLine($"  {line.Item}: {(line.Dollars is double d ? Money(d) : Price.NotPriced)} = {line.Formula}");
        }
    }

    private static string Money(double dollars) => "$" + dollars.ToString("0.00000", CultureInfo.InvariantCulture);
}

using System.CommandLine;
using FunctionsBench.Embedded.Azurite;

namespace FunctionsBench.Embedded.Commands;

/// <summary>
/// <c>serve</c>: Azurite, the embedded host and its HTTP API until Ctrl+C or SIGTERM. Several <c>serve</c> processes on
/// one task hub (<c>--hub</c>) and storage are workers of one app: they share its partitions and take over a dead one's.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var options = new HostCommandOptions();
        var command = new Command("serve", "Serve the bench's HTTP API from the embedded Durable Task host (loopback only unless told)");
        options.AddTo(command, http: true);
        command.SetAction((result, cancellationToken) => CliErrors.HandleAsync("serve", result.GetValue(options.Verbose), async () =>
        {
            // The flags and host.json are checked before Azurite starts.
            options.Check(result, readHostJson: true);
            bool verbose = result.GetValue(options.Verbose);
            using ILoggerFactory loggerFactory = CommandLogging.CreateFactory(verbose);
            await using AzuriteProcess? azurite = await options.StartAzuriteAsync(result, loggerFactory, cancellationToken);

            EmbeddedHostOptions durable = options.Durable(result, azurite);
            durable.ReportPartitions = true;
            await using EmbeddedWebHost host = await EmbeddedWebHost.StartAsync(
                options.Web(result), durable, CommandLogging.Configure(verbose), cancellationToken: cancellationToken);
            Console.WriteLine($"Embedded host: {host.BaseAddress} (task hub {host.TaskHubName}, {host.HostJson.Path}); POST {host.BaseAddress}api/bench. Ctrl+C stops.");
            await HostCommandOptions.ReportLeftoversAsync(azurite, host.TaskHubName, loggerFactory, cancellationToken);
            try
            {
                await host.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM: the host and Azurite stop below.
            }

            return 0;
        }));
        return command;
    }
}

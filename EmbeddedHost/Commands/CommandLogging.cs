namespace FunctionsBench.Embedded.Commands;

/// <summary>Console logging of the commands: the web host's default, quieter for <c>run</c>, everything with <c>--verbose</c>.</summary>
internal static class CommandLogging
{
    /// <summary>
    /// <paramref name="verbose"/>: the extension's and the storage provider's information messages too. <paramref name="quiet"/>
    /// (run without --verbose): the engine's routine messages (retried work items, abandoned messages, expired sessions)
    /// read like faults in a benchmark's output, so only its errors show, and only the bench's own warnings.
    /// </summary>
    public static Action<ILoggingBuilder> Configure(bool verbose, bool quiet = false) => logging =>
    {
        EmbeddedWebHost.ConfigureDefaultLogging(logging);
        if (verbose)
        {
            logging.AddFilter("DurableTask", LogLevel.Information);
        }
        else if (quiet)
        {
            foreach (string engine in new[] { "DurableTask", "DurableTask.Core", "DurableTask.AzureStorage", "Host", "Host.Triggers.DurableTask", "Microsoft", "Azure", "Azure.Core", "Function" })
            {
                logging.AddFilter(engine, LogLevel.Error);
            }

            logging.AddFilter("FunctionsBench", LogLevel.Warning);
        }
    };

    public static ILoggerFactory CreateFactory(bool verbose, bool quiet = false) => LoggerFactory.Create(Configure(verbose, quiet));
}

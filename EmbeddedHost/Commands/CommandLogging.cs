namespace FunctionsBench.Embedded.Commands;

/// <summary>Console logging of the commands: the web host's default, quieter for <c>run</c>, everything with <c>--verbose</c>.</summary>
internal static class CommandLogging
{
    /// <summary>
    /// <paramref name="verbose"/>: the extension's and the storage provider's information messages too. <paramref name="quiet"/>
    /// (run without --verbose): the engine's routine messages (retried work items, abandoned messages, expired sessions)
    /// read like faults in a benchmark's output, so only its errors show, and only the bench's own warnings. Once
    /// <paramref name="stopping"/> is cancelled (Ctrl+C), a quiet host says nothing but critical faults: what stopping it
    /// logs (work items cut off, storage gone before the last activity ended) is the stop itself.
    /// </summary>
    public static Action<ILoggingBuilder> Configure(bool verbose, bool quiet = false, CancellationToken stopping = default) => logging =>
    {
        EmbeddedWebHost.ConfigureDefaultLogging(logging);
        if (verbose)
        {
            logging.AddFilter("DurableTask", LogLevel.Information);
        }
        else if (quiet)
        {
            bool Shown(LogLevel level, LogLevel least) => level >= (stopping.IsCancellationRequested ? LogLevel.Critical : least);
            logging.AddFilter((_, level) => Shown(level, LogLevel.Warning));
            foreach (string engine in new[] { "DurableTask", "DurableTask.Core", "DurableTask.AzureStorage", "Host", "Host.Triggers.DurableTask", "Microsoft", "Azure", "Azure.Core", "Function" })
            {
                logging.AddFilter(engine, level => Shown(level, LogLevel.Error));
            }

            logging.AddFilter("FunctionsBench", level => Shown(level, LogLevel.Warning));
        }
    };

    public static ILoggerFactory CreateFactory(bool verbose, bool quiet = false, CancellationToken stopping = default) => LoggerFactory.Create(Configure(verbose, quiet, stopping));
}

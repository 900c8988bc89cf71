using Microsoft.Extensions.Logging;

namespace FunctionsBench.Embedded.Commands;

/// <summary>Console logging of the commands, the same as the web host's default.</summary>
internal static class CommandLogging
{
    public static Action<ILoggingBuilder> Configure(bool verbose) => logging =>
    {
        EmbeddedWebHost.ConfigureDefaultLogging(logging);
        if (verbose)
        {
            logging.AddFilter("DurableTask", LogLevel.Information);
        }
    };

    public static ILoggerFactory CreateFactory(bool verbose) => LoggerFactory.Create(Configure(verbose));
}

using FunctionsBench.Embedded.Run;
using Microsoft.Extensions.Options;

namespace FunctionsBench.Embedded.Commands;

/// <summary>
/// How a command reports what the user can fix (bad input, an unreachable target, an unreadable results folder, a
/// storage emulator that cannot start): one line on standard error, "bench COMMAND: what", and a non-zero exit code;
/// with <c>--verbose</c> the whole exception follows. Anything else is a fault of the bench and keeps its stack trace.
/// </summary>
internal static class CliErrors
{
    public static async Task<int> HandleAsync(string command, bool verbose, Func<Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return await action();
        }
        catch (Exception e) when (Describe(e) is { } problem)
        {
            Console.Error.WriteLine($"bench {command}: {problem.Message}");
            if (verbose)
            {
                Console.Error.WriteLine(e);
            }

            return problem.ExitCode;
        }
    }

    /// <summary>The line and exit code for an exception the user can act on; null for a fault.</summary>
    private static (string Message, int ExitCode)? Describe(Exception e) => e switch
    {
        CliException cli => (cli.Message, cli.ExitCode),
        BenchApiException api => (api.Message, 1),
        RunFolderException folder => (folder.Message, 2),
        OptionsValidationException options => (string.Join(" ", options.Failures), 2),
        FileNotFoundException missing => (missing.Message, 2),
        HttpRequestException http => ($"lost the connection to the host: {http.Message}", 1),
        OperationCanceledException => ("stopped", 130),
        _ => null,
    };
}

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
            Console.Error.WriteLine(Line(command, problem.Message, problem.ExitCode));
            if (verbose)
            {
                Console.Error.WriteLine(e);
            }

            return problem.ExitCode;
        }
    }

    /// <summary>
    /// The one line of an error: "bench COMMAND: what", on one line whatever the message held, and for bad input (exit
    /// code 2) where the options are listed.
    /// </summary>
    public static string Line(string? command, string message, int exitCode)
    {
        ArgumentNullException.ThrowIfNull(message);
        string name = string.IsNullOrEmpty(command) ? "bench" : $"bench {command}";
        string text = string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
        return exitCode == UsageExitCode ? $"{name}: {text} (see ./{name} --help)" : $"{name}: {text}";
    }

    /// <summary>The exit code of bad input.</summary>
    public const int UsageExitCode = 2;

    /// <summary>The line and exit code for an exception the user can act on; null for a fault.</summary>
    private static (string Message, int ExitCode)? Describe(Exception e) => e switch
    {
        CliException cli => (cli.Message, cli.ExitCode),
        BenchApiException api => (api.Message, 1),
        RunFolderException folder => (folder.Message, 2),
        OutputPathException path => (path.Message, path.ExitCode),
        OptionsValidationException options => (string.Join(" ", options.Failures), 2),
        FileNotFoundException missing => (missing.Message, 2),
        HttpRequestException http => ($"lost the connection to the host: {http.Message}", 1),
        OperationCanceledException => ("stopped", 130),
        _ => null,
    };
}

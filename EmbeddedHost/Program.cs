using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using FunctionsBench.Embedded.Commands;

// One command per file under Commands/; add new ones here. The root is named as users type it: the bench script runs this program.
// Help wraps at the terminal's width, and at 100 columns when written to a file or a pipe.
var help = new HelpOption();
if (Console.IsOutputRedirected && help.Action is HelpAction action)
{
    action.MaxWidth = 100;
}

var root = new Command("./bench", "FunctionsBench: Durable Functions against StateFun, with the thesis' figures beside them")
{
    help,
    RunCommand.Create(),
    ReportCommand.Create(),
    CompareCommand.Create(),
    IdleCommand.Create(),
    ServeCommand.Create(),
    StateFunCommand.Create(),
};

// A flag the parser does not know, or a value it refuses, is bad input like any other: one line, exit code 2.
ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    string? command = parsed.CommandResult.Command == root ? null : parsed.CommandResult.Command.Name;
    Console.Error.WriteLine(CliErrors.Line(command, string.Join("; ", parsed.Errors.Select(ErrorOf).Where(e => parsed.Errors.Count == 1 || !e.StartsWith("Required command", StringComparison.Ordinal))), CliErrors.UsageExitCode));
    return CliErrors.UsageExitCode;
}

// Stopping Azurite and abandoning work items takes a few seconds after Ctrl+C or SIGTERM.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });

// The parser's message, led by the flag it is about when it does not name it ("--azurite: Argument 'x' not recognized").
static string ErrorOf(ParseError error)
{
    string message = error.Message.TrimEnd('.');
    string? flag = error.SymbolResult switch
    {
        OptionResult option => option.Option.Name,
        ArgumentResult { Parent: OptionResult option } => option.Option.Name,
        _ => null,
    };
    return flag is null || message.Contains(flag, StringComparison.Ordinal) ? message : $"{flag}: {message}";
}

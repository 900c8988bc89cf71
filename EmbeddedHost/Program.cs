using System.CommandLine;
using System.CommandLine.Help;
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

// Stopping Azurite and abandoning work items takes a few seconds after Ctrl+C or SIGTERM.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });

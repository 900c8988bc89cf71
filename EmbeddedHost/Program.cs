using System.CommandLine;
using FunctionsBench.Embedded.Commands;

// One command per file under Commands/; add new ones here.
var root = new RootCommand("FunctionsBench: the Durable Functions benchmark's embedded host and tools")
{
    RunCommand.Create(),
    ServeCommand.Create(),
    StateFunCommand.Create(),
};

// Stopping Azurite and abandoning work items takes a few seconds after Ctrl+C or SIGTERM.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });

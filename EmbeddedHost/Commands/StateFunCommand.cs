using System.CommandLine;
using FunctionsBench.StateFun;

namespace FunctionsBench.Embedded.Commands;

/// <summary><c>statefun</c>: the C# StateFun functions alone (greeter and shopping cart), for a StateFun cluster or any driver.</summary>
internal static class StateFunCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "HTTP port (0 picks a free one)", DefaultValueFactory = _ => 8000 };
        var bind = new Option<string>("--bind") { Description = "Address to listen on: an IP address, localhost or *", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new Command("statefun", "Serve the StateFun greeter (greeter.fns/user, greeter.fns/greetings) and shopping cart (com.example/user-shopping-cart, com.example/stock) on every path") { port, bind };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                await StateFunServer.RunAsync(result.GetValue(port), result.GetRequiredValue(bind), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM.
            }

            return 0;
        });
        return command;
    }
}

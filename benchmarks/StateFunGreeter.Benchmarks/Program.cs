using BenchmarkDotNet.Running;
using FunctionsBench.ShoppingCart;
using FunctionsBench.StateFun;
using FunctionsBench.StateFun.Benchmarks;

const string Usage = "usage: StateFunGreeter.Benchmarks [activity [units] [logins] [records|timings] | memory [logins] | compare NAME=URL NAME=URL [rounds] [logins] | serve [port] | cluster INGRESS EGRESS [logins] [userId] [pollMs] | loopback [logins] | load [seconds] [connections] | handler [BenchmarkDotNet args] | cart [operations] [users,list] | cart-memory [operations] | all]";
var mode = args.Length > 0 ? args[0] : "all";
switch (mode)
{
    case "activity":
        await ActivityBenchmark.RunAsync(
            args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : ActivityBenchmark.DefaultUnits,
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : ActivityBenchmark.DefaultLogins,
            !(args.Length > 3 && args[3] == "records"));
        break;
    case "memory":
        // The driver, the activity's JSON and the handler with no HTTP between them: for profiling the protocol work.
        await ActivityBenchmark.InMemoryAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : ActivityBenchmark.DefaultLogins);
        break;
    case "compare":
        if (args.Length is < 3 or > 5 || Endpoint(args[1]) is not { } first || Endpoint(args[2]) is not { } second)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        return await EndpointComparison.RunAsync(
            first.Name, first.Url, second.Name, second.Url,
            args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : EndpointComparison.DefaultRounds,
            args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : EndpointComparison.DefaultLogins);
    case "cluster":
        if (args.Length is < 3 or > 6 || !Uri.TryCreate(args[1], UriKind.Absolute, out var ingress) || !Uri.TryCreate(args[2], UriKind.Absolute, out var egress))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        return await ClusterBenchmark.RunAsync(
            ingress,
            egress,
            args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : ClusterBenchmark.DefaultLogins,
            args.Length > 4 ? args[4] : "1",
            TimeSpan.FromMilliseconds(args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 0));
    case "serve":
        // The standalone greeter on loopback until Ctrl+C or SIGTERM, which the server's host lifetime handles (a
        // process-exit handler of our own could run after the server had stopped); the server logs its address.
        await StateFunServer.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0, "127.0.0.1");
        break;
    case "loopback":
        await LoopbackLoadTest.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : LoopbackLoadTest.DefaultLogins);
        break;
    case "load":
        if (!TryReadLoadArguments(args, out var seconds, out var connections))
        {
            Console.Error.WriteLine(Usage);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  load: seconds 1..{ConcurrentLoad.MaxDuration.TotalSeconds:F0} (default 10), connections 1..{ConcurrentLoad.MaxConnections} (default 64)"));
            return 2;
        }

        return await RunLoadAsync(seconds, connections);
    case "cart":
        // The shopping cart at driver level: units at each number of users, in turns with the concurrent HTTP floor.
        if (args.Length > 3 || !TryReadCartArguments(args, out var cartOperations, out var cartUsers))
        {
            Console.Error.WriteLine(Usage);
            Console.Error.WriteLine("  cart: operations >= 100 (default 4000), users a comma-separated list of 1..256 (default 1,4,16,64)");
            return 2;
        }

        return await CartBenchmark.RunAsync(cartOperations, cartUsers);
    case "cart-memory":
        // The cart's driver and functions with no HTTP between them.
        await CartBenchmark.InMemoryAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : CartBenchmark.DefaultOperations);
        break;
    case "handler":
        BenchmarkRunner.Run<HandlerBenchmarks>(args: args[1..]);
        break;
    case "all":
        await LoopbackLoadTest.RunAsync(LoopbackLoadTest.DefaultLogins);
        BenchmarkRunner.Run<HandlerBenchmarks>();
        break;
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}

return 0;

// NAME=URL, e.g. cs=http://127.0.0.1:8000/
static (string Name, Uri Url)? Endpoint(string argument)
{
    var parts = argument.Split('=', 2);
    return parts.Length == 2 && parts[0].Length > 0 && Uri.TryCreate(parts[1], UriKind.Absolute, out var url) ? (parts[0], url) : null;
}

static bool TryReadLoadArguments(string[] args, out int seconds, out int connections)
{
    seconds = 10;
    connections = 64;
    return (args.Length < 2 || int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out seconds))
        && (args.Length < 3 || int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out connections))
        && args.Length <= 3
        && seconds >= 1 && seconds <= ConcurrentLoad.MaxDuration.TotalSeconds
        && connections >= 1 && connections <= ConcurrentLoad.MaxConnections;
}

static bool TryReadCartArguments(string[] args, out int operations, out int[] users)
{
    operations = CartBenchmark.DefaultOperations;
    users = CartBenchmark.DefaultUsers;
    if (args.Length > 1 && (!int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out operations) || operations < 100))
    {
        return false;
    }

    if (args.Length > 2)
    {
        var parsed = new List<int>();
        foreach (var part in args[2].Split(','))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var u) || u < 1 || u > CartWorkloadOptions.MaxUsers)
            {
                return false;
            }

            parsed.Add(u);
        }

        users = [.. parsed];
    }

    return true;
}

// Loopback only: the server binds 127.0.0.1 on a free port and stops with the run.
static async Task<int> RunLoadAsync(int seconds, int connections)
{
    await using var server = await StateFunServer.StartAsync(port: 0, bindAddress: "127.0.0.1");
    var result = await ConcurrentLoad.RunAsync(server.BaseAddress, connections, TimeSpan.FromSeconds(seconds), warmup: TimeSpan.FromSeconds(2));
    Console.WriteLine(result.Describe());
    Console.WriteLine("  (2 s warm-up not counted; client and server share this machine's cores)");
    return result.Errors == 0 ? 0 : 1;
}

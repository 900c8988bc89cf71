using BenchmarkDotNet.Running;
using FunctionsBench.StateFun.Benchmarks;

// Usage: dotnet run -c Release -- [loopback [logins] | handler [BenchmarkDotNet args] | all]
var mode = args.Length > 0 ? args[0] : "all";
switch (mode)
{
    case "loopback":
        await LoopbackLoadTest.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : LoopbackLoadTest.DefaultLogins);
        break;
    case "handler":
        BenchmarkRunner.Run<HandlerBenchmarks>(args: args[1..]);
        break;
    case "all":
        await LoopbackLoadTest.RunAsync(LoopbackLoadTest.DefaultLogins);
        BenchmarkRunner.Run<HandlerBenchmarks>();
        break;
    default:
        Console.Error.WriteLine("usage: StateFunGreeter.Benchmarks [loopback [logins] | handler [BenchmarkDotNet args] | all]");
        return 2;
}

return 0;

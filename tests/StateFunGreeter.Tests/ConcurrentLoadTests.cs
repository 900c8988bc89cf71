using FunctionsBench.StateFun.Benchmarks;
using Xunit.Abstractions;

namespace FunctionsBench.StateFun.Tests;

/// <summary>
/// The benchmark's <c>load</c> mode, short: correctness under 64 concurrent connections. Speed is the benchmark's
/// business, so nothing here depends on how fast the machine is.
/// </summary>
[Collection(LoopbackStressCollection.Name)]
public class ConcurrentLoadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunAsync_64ConnectionsFor3Seconds_EveryUserServedWithoutErrors()
    {
        await using var server = await StateFunServer.StartAsync(port: 0, bindAddress: "127.0.0.1");

        var result = await ConcurrentLoad.RunAsync(server.BaseAddress, connections: 64, duration: TimeSpan.FromSeconds(3), warmup: TimeSpan.Zero);

        output.WriteLine(result.Describe());
        Assert.True(result.Errors == 0, result.FirstError);
        Assert.True(result.Requests > 0, "No request completed in the measured window.");
        Assert.Equal(64, result.UsersServed);
        Assert.Equal(64, result.ConnectionsOpened);
    }
}

using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.Http;
using FunctionsBench.StateFun;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsBench.Tests;

/// <summary>The statefun driver activity with the HTTP floor in turns, against the greeter and the no-op on a loopback Kestrel.</summary>
public sealed class StateFunFloorInTurnsTests
{
    [Theory]
    [InlineData(100, 13)]      // small units are cut into 8 chunks, so that they have slices too
    [InlineData(20_000, 1000)] // large ones into chunks of 1000, as the driver benchmark's
    [InlineData(1, 1)]
    public void ChunkLogins_Count_IsAnEighthCappedAt1000(int count, int chunk)
        => Assert.Equal(chunk, StateFunLogins.ChunkLogins(count));

    [Fact]
    public async Task Execute_WithAFloorUrl_PostsTwiceTheChunkBetweenChunksAndKeepsEveryLogin()
    {
        await using LoopbackServer server = await FloorTests.StartAppRoutesAsync();
        StateFunLogins activity = Activity(unitSeconds: "2");

        StateFunLoginsOutput output = await activity.ExecuteAsync(Input(server, 100, HostUrls.NoopPath), CancellationToken.None);

        // 8 chunks of at most 13 logins: 7 slices of 26 requests between them.
        Assert.Equal(Enumerable.Range(0, 100), output.Timings.Records().Select(r => r.Sequence));
        Assert.NotNull(output.Floor);
        Assert.Null(output.Floor.Error);
        Assert.Equal(7 * 26, output.Floor.Requests);
        Assert.InRange(output.Floor.Seconds, 1e-6, (output.Timings.Records().Last().EndUtc - output.Timings.Records().First().StartUtc).TotalSeconds);
        Assert.NotNull(output.Floor.RequestsPerSecond);
        // The runtime state went on from chunk to chunk: the user's count is that of all 100 logins.
        StateFunRuntimeState state = output.RuntimeState.Deserialize<StateFunRuntimeState>(BenchJson.Options)!;
        Assert.Equal(100, Types.Int.Deserialize(state.Values["greeter.fns/user/u1"][Greeter.SeenCount.Name]));
    }

    [Fact]
    public async Task Execute_UnitFloorsOff_RunsTheLoginsWithoutAFloor()
    {
        await using LoopbackServer server = await FloorTests.StartAppRoutesAsync();

        StateFunLoginsOutput output = await Activity(unitSeconds: "0").ExecuteAsync(Input(server, 20, HostUrls.NoopPath), CancellationToken.None);

        Assert.Null(output.Floor);
        Assert.Equal(20, output.Timings.Records().Count());
    }

    [Fact]
    public async Task Execute_FloorPostFails_EndsTheFloorWithTheReasonAndTheLoginsGoOn()
    {
        await using LoopbackServer server = await FloorTests.StartAppRoutesAsync();

        // No route: the no-op answers 404, which the floor must not count as a request.
        StateFunLoginsOutput output = await Activity(unitSeconds: "2").ExecuteAsync(Input(server, 40, "/api/missing"), CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 40), output.Timings.Records().Select(r => r.Sequence));
        Assert.NotNull(output.Floor);
        Assert.Contains("404", output.Floor.Error);
        Assert.Equal(0, output.Floor.Requests);
        Assert.True(output.Floor.Seconds > 0);
        Assert.Null(output.Floor.RequestsPerSecond);
    }

    [Fact]
    public async Task Execute_FloorUrlNotAbsolute_IsRefusedBeforeAnyLogin()
    {
        ArgumentException e = await Assert.ThrowsAsync<ArgumentException>(() => Activity(unitSeconds: "2").ExecuteAsync(
            new StateFunLoginsInput("http://127.0.0.1:1/api/statefun/{function.name}", "u1", "Joe", 0, 10, null, FloorUrl: "api/noop"), CancellationToken.None));

        Assert.Contains("'api/noop'", e.Message);
    }

    [Fact]
    public async Task JitQuiet_Wait_EndsWithinItsLimitAndCallsTheJitQuietOnlyAfterAQuietSpell()
    {
        var limit = TimeSpan.FromSeconds(1);

        (TimeSpan waited, bool quiet) = await JitQuiet.WaitAsync(limit, CancellationToken.None);

        Assert.InRange(waited, quiet ? JitQuiet.QuietFor : limit, limit + TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => JitQuiet.WaitAsync(limit, new CancellationToken(canceled: true)));
    }

    private static StateFunLoginsInput Input(LoopbackServer server, int count, string floorPath) => new(
        new Uri(server.BaseAddress, "api/statefun/{function.name}").OriginalString.Replace("%7B", "{").Replace("%7D", "}"),
        "u1", "Joe", 0, count, null, FloorUrl: new Uri(server.BaseAddress, floorPath).ToString());

    private static StateFunLogins Activity(string unitSeconds)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Bench:Floors:UnitSeconds"] = unitSeconds, ["Bench:Floors:JitQuietSeconds"] = "1" }).Build();
        ServiceProvider services = new ServiceCollection().AddBench(configuration).BuildServiceProvider();
        return new StateFunLogins(
            services.GetRequiredService<StateFunDriver>(), services.GetRequiredService<StateFunHttpClient>(),
            services.GetRequiredService<IOptions<FloorOptions>>(), NullLogger<StateFunLogins>.Instance);
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;

namespace FunctionsBench.StateFun.Tests;

public class StateFunDriverTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task RunChunkAsync_FiftyLoginsInThreeChunks_CountsOneToFiftyWithExactTexts()
    {
        var driver = new StateFunDriver(fixture.Client);
        var state = new StateFunRuntimeState();
        var logins = new List<StateFunLogin>();

        foreach (var (first, count) in new[] { (1, 17), (18, 17), (35, 16) })
        {
            var result = await driver.RunChunkAsync(new StateFunChunkRequest(fixture.Server.BaseAddress, "fifty", "Joe", first, count, state));
            logins.AddRange(result.Logins);
            // The orchestration carries the state between activities as JSON.
            state = JsonSerializer.Deserialize<StateFunRuntimeState>(JsonSerializer.Serialize(result.State, Web), Web)!;
        }

        Assert.Equal(Enumerable.Range(1, 50), logins.Select(l => l.Sequence));
        Assert.Equal(Enumerable.Range(1, 50), logins.Select(l => l.SeenCount));
        Assert.Equal("Welcome Joe!", logins[0].Greeting);
        Assert.Equal("Nice to see you again Joe.", logins[1].Greeting);
        Assert.Equal("Third time is a charm Joe!", logins[2].Greeting);
        foreach (var login in logins.Skip(3))
        {
            Assert.Matches(
                $"^Nice to see you for the {login.SeenCount}th time, Joe! It has been \\d+ milliseconds since we last saw you\\.$",
                login.Greeting);
        }

        Assert.All(logins, l => Assert.True(l.EndUtc >= l.StartUtc));
        Assert.Equal(1, state.Handshakes);
        Assert.Equal(101, state.HttpRequests);
        Assert.Equal(50, state.LastSeenCounts["fifty"]);
        Assert.Equal(["seen_count", "seen_timestamp_ms"], state.RegisteredStates["greeter.fns/user"].Select(s => s.Name));
        Assert.Equal(new byte[] { 0x0d, 50, 0, 0, 0 }, state.Values["greeter.fns/user/fifty"]["seen_count"]);
    }

    [Fact]
    public async Task RunChunkAsync_FunctionNameTemplate_PostsToEachFunctionsPath()
    {
        var paths = new List<string>();
        using var client = new HttpClient(new RecordingHandler(paths));
        var driver = new StateFunDriver(client);
        var template = new Uri(fixture.Server.BaseAddress.OriginalString + "api/statefun/{function.name}");
        var request = new StateFunChunkRequest(template, "templ", "Ann", 1, 2, new StateFunRuntimeState());

        var result = await driver.RunChunkAsync(request);

        Assert.Equal(["Welcome Ann!", "Nice to see you again Ann."], result.Logins.Select(l => l.Greeting));
        Assert.Equal(
            ["/api/statefun/user", "/api/statefun/user", "/api/statefun/greetings", "/api/statefun/user", "/api/statefun/greetings"],
            paths);
    }

    [Fact]
    public async Task RunChunkAsync_InputState_IsNotChanged()
    {
        var driver = new StateFunDriver(fixture.Client);
        var state = new StateFunRuntimeState();

        var result = await driver.RunChunkAsync(new StateFunChunkRequest(fixture.Server.BaseAddress, "pure", "Joe", 1, 1, state));

        Assert.Empty(state.Values);
        Assert.Equal(0, state.Handshakes);
        Assert.Single(result.State.Values);
    }

    [Fact]
    public async Task RunChunkAsync_WrongGreetingText_ThrowsWithExpectedAndActual()
    {
        var functions = new StatefulFunctions()
            .Register(Greeter.UserFunction, (context, message) =>
            {
                var login = message.As(Greeter.UserLoginType);
                var seen = context.Storage.GetOrDefault(Greeter.SeenCount, 0) + 1;
                context.Storage.Set(Greeter.SeenCount, seen);
                context.Send(new Address(Greeter.GreetingsFunction, login.UserId), Greeter.UserProfileType, new Protocol.UserProfile { Name = login.UserName, SeenCount = seen });
                return ValueTask.CompletedTask;
            }, Greeter.SeenCount, Greeter.SeenTimestampMs)
            .Register(Greeter.GreetingsFunction, (context, _) =>
            {
                context.SendEgress(Greeter.Egress, Greeter.EgressRecordType, new EgressRecord("greetings", "Hello Joe"));
                return ValueTask.CompletedTask;
            });
        await using var server = await StateFunServer.StartAsync(0, "127.0.0.1", new RequestReplyHandler(functions));
        var driver = new StateFunDriver(fixture.Client);

        var error = await Assert.ThrowsAsync<StateFunDriverException>(
            () => driver.RunChunkAsync(new StateFunChunkRequest(server.BaseAddress, "1", "Joe", 1, 1, new StateFunRuntimeState())));

        Assert.Contains("\"Welcome Joe!\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"Hello Joe\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunChunkAsync_CountDoesNotContinue_Throws()
    {
        var driver = new StateFunDriver(fixture.Client);
        var state = new StateFunRuntimeState();
        state.LastSeenCounts["skip"] = 5;

        var error = await Assert.ThrowsAsync<StateFunDriverException>(
            () => driver.RunChunkAsync(new StateFunChunkRequest(fixture.Server.BaseAddress, "skip", "Joe", 1, 1, state)));

        Assert.Matches(new Regex("expected 6, got 1"), error.Message);
    }

    private sealed class RecordingHandler(List<string> paths) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            paths.Add(request.RequestUri!.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

public class FloorBodyTests
{
    [Fact]
    public async Task FloorBody_PostedToTheGreeter_IsALoginWithBothStatesThatItAnswers()
    {
        var body = StateFunDriver.FloorBody("u1", "Joe");

        var batch = Protocol.ToFunction.Parser.ParseFrom(body).Invocation;
        Assert.Equal(["seen_count", "seen_timestamp_ms"], batch.State.Select(s => s.StateName));
        Assert.All(batch.State, s => Assert.True(s.StateValue.HasValue));
        var reply = await Greeter.CreateHandler().HandleAsync(Protocol.ToFunction.Parser.ParseFrom(body));
        var profile = Assert.Single(reply.InvocationResult.OutgoingMessages).Argument.Value;
        Assert.Equal(2, Protocol.UserProfile.Parser.ParseFrom(profile).SeenCount);
    }
}

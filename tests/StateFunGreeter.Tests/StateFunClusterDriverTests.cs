namespace FunctionsBench.StateFun.Tests;

public class StateFunClusterDriverTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunAsync_ThreeLogins_PutsThePlaygroundsRequestsAndReadsEachGreeting()
    {
        await using var fake = await PlaygroundFake.StartAsync();
        using var client = new HttpClient();

        var result = await new StateFunClusterDriver(client).RunAsync(new StateFunClusterRequest(fake.IngressUrl, fake.EgressUrl, "7", "Ann", 1, 3, Patience));

        Assert.All(fake.IngressRequests, request => Assert.Equal(
            ("PUT", "/greeter.fns/user/7", "application/vnd.greeter.types/UserLogin", """{"user_id":"7","user_name":"Ann","login_type":"WEB"}"""),
            request));
        Assert.Equal(3, fake.IngressRequests.Count);
        Assert.Equal([1, 2, 3], result.Logins.Select(l => l.Sequence));
        Assert.Equal([1, 2, 3], result.Logins.Select(l => l.SeenCount));
        Assert.Equal(["Welcome Ann!", "Nice to see you again Ann.", "Third time is a charm Ann!"], result.Logins.Select(l => l.Greeting));
        Assert.Equal(0, result.DrainedRecords);
        Assert.Equal(3, result.EgressPolls);
    }

    [Fact]
    public async Task RunAsync_UserWithHistoryAndSlowGreetings_ContinuesTheCountAndPollsUntilEachArrives()
    {
        await using var fake = await PlaygroundFake.StartAsync();
        fake.SetSeen("u", 41);
        fake.EmptyPollsPerLogin = 2;
        using var client = new HttpClient();

        var result = await new StateFunClusterDriver(client).RunAsync(new StateFunClusterRequest(fake.IngressUrl, fake.EgressUrl, "u", "Joe", 0, 2, Patience));

        Assert.Equal([42, 43], result.Logins.Select(l => l.SeenCount));
        Assert.Matches("^Nice to see you for the 43th time, Joe! It has been [0-9]+ milliseconds since we last saw you\\.$", result.Logins[1].Greeting);
        Assert.Equal(6, result.EgressPolls);
    }

    [Fact]
    public async Task RunAsync_RecordsLeftOnTheTopic_DrainsThemBeforeTheFirstLogin()
    {
        await using var fake = await PlaygroundFake.StartAsync();
        fake.Leave("Welcome Bob!");
        fake.Leave("Nice to see you again Bob.");
        using var client = new HttpClient();

        var result = await new StateFunClusterDriver(client).RunAsync(new StateFunClusterRequest(fake.IngressUrl, fake.EgressUrl, "a", "Ann", 1, 1, Patience));

        Assert.Equal(2, result.DrainedRecords);
        Assert.Equal("Welcome Ann!", Assert.Single(result.Logins).Greeting);
    }

    [Fact]
    public async Task RunAsync_WrongGreetingText_ThrowsWithTheText()
    {
        var error = await FailureAsync(fake => fake.RewriteGreeting = text => text.Replace("Ann", "Anne", StringComparison.Ordinal), logins: 1);

        Assert.Contains("\"Welcome Anne!\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CountSkips_Throws()
    {
        var logins = 0;
        var error = await FailureAsync(fake => fake.RewriteGreeting = text => ++logins == 2 ? "Third time is a charm Ann!" : text, logins: 2);

        Assert.Contains("expected 2, got 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_IngressStatus500InItsHeader_ThrowsThoughHttpSays200()
    {
        var error = await FailureAsync(fake => fake.IngressStatus = 500, logins: 1);

        Assert.Contains("HTTP 200, Status 500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_GreetingNeverComes_ThrowsAfterTheTimeout()
    {
        await using var fake = await PlaygroundFake.StartAsync();
        fake.EmptyPollsPerLogin = int.MaxValue;
        using var client = new HttpClient();

        var error = await Assert.ThrowsAsync<StateFunDriverException>(() => new StateFunClusterDriver(client).RunAsync(
            new StateFunClusterRequest(fake.IngressUrl, fake.EgressUrl, "a", "Ann", 1, 1, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(10))));

        Assert.StartsWith("No greeting on ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Welcome Joe!", true, 1, 0)]
    [InlineData("Third time is a charm Joe!", true, 3, 0)]
    [InlineData("Nice to see you for the 4th time, Joe! It has been 17 milliseconds since we last saw you.", true, 4, 17)]
    [InlineData("Nice to see you for the 4th time, Jo! It has been 17 milliseconds since we last saw you.", false, 0, 0)]
    [InlineData("Nice to see you for the 3th time, Joe! It has been 17 milliseconds since we last saw you.", false, 0, 0)]
    [InlineData("Welcome Joe!!", false, 0, 0)]
    public void TryRead_Greeting_RecoversTheCountOnlyFromAnExactText(string greeting, bool expected, int seenCount, long deltaMs)
    {
        var read = StateFunClusterDriver.TryRead(greeting, "Joe", out var count, out var delta);

        Assert.Equal(expected, read);
        if (expected)
        {
            Assert.Equal((seenCount, deltaMs), (count, delta));
        }
    }

    /// <summary>Runs <paramref name="logins"/> logins of user "a" named Ann against a playground that <paramref name="arrange"/> set up, expecting the driver to fail.</summary>
    private static async Task<StateFunDriverException> FailureAsync(Action<PlaygroundFake> arrange, int logins)
    {
        await using var fake = await PlaygroundFake.StartAsync();
        arrange(fake);
        using var client = new HttpClient();
        return await Assert.ThrowsAsync<StateFunDriverException>(
            () => new StateFunClusterDriver(client).RunAsync(new StateFunClusterRequest(fake.IngressUrl, fake.EgressUrl, "a", "Ann", 1, logins, Patience)));
    }
}

public class ModuleYamlTests
{
    [Fact]
    public void ModuleYaml_Documents_PointTheGreeterAndCartFunctionsAtTheServerAndKeepThePlaygroundsIo()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "module.yaml");
        var documents = File.ReadAllText(path).Split("\n---\n")
            .Select(document => document.Split('\n').Select(line => line.TrimEnd()).Where(line => line.Length > 0 && !line.StartsWith('#')).ToArray())
            .ToArray();

        Assert.Equal(4, documents.Length);
        Assert.Equal(
            ["kind: io.statefun.endpoints.v2/http", "spec:", "  functions: greeter.fns/*", "  urlPathTemplate: http://host.docker.internal:8000/", "  transport:", "    type: io.statefun.transports.v1/async"],
            documents[0]);
        Assert.Equal(
            ["kind: io.statefun.endpoints.v2/http", "spec:", "  functions: com.example/*", "  urlPathTemplate: http://host.docker.internal:8000/", "  transport:", "    type: io.statefun.transports.v1/async"],
            documents[1]);
        Assert.Equal(["kind: io.statefun.playground.v1/ingress", "spec:", "  port: 8090"], documents[2]);
        Assert.Equal(["kind: io.statefun.playground.v1/egress", "spec:", "  port: 8091", "  topics:", $"    - {StateFunClusterDriver.Topic}", "    - receipts"], documents[3]);
        // The template names no function: one URL serves both, and ./bench statefun answers every path.
        Assert.DoesNotContain("{function.name}", documents[0][3], StringComparison.Ordinal);
        Assert.DoesNotContain("{function.name}", documents[1][3], StringComparison.Ordinal);
    }
}

namespace FunctionsBench.StateFun.Tests;

/// <summary>One standalone greeter on a loopback ephemeral port, shared by a test class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public StateFunServer Server { get; private set; } = null!;

    public HttpClient Client { get; } = new();

    public async Task InitializeAsync() => Server = await StateFunServer.StartAsync(port: 0, bindAddress: "127.0.0.1");

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

using FunctionsBench.Embedded.Azurite;

namespace FunctionsBench.Embedded.Tests;

[Collection(AzuriteCollection.Name)]
[Trait(TestLane.Trait, TestLane.Full)]
public sealed class AzuriteProcessTests
{
    [Fact]
    public async Task EnsureStartedAsync_EmulatorAlreadyListening_ReusesItWithoutOwningIt()
    {
        TestAzurite shared = AzuriteFixture.Shared;

        AzuriteProcess second = await AzuriteProcess.EnsureStartedAsync(shared.Options);
        Assert.False(second.IsOwned);
        Assert.Equal(shared.ConnectionString, second.ConnectionString);

        // Leaving it must not stop an emulator that others use (this test process's, or one a script started).
        await second.DisposeAsync();
        foreach (int port in (int[])[shared.BlobPort, shared.BlobPort + 1, shared.BlobPort + 2])
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            Assert.True(client.Connected, $"Azurite stopped answering on {port} when a host that only reused it left.");
        }
    }

    [Fact]
    public void ConnectionString_CustomPorts_NamesEveryEndpoint()
    {
        var options = new AzuriteOptions { BlobPort = 20000, QueuePort = 20001, TablePort = 20002 };

        string connection = AzuriteProcess.ConnectionStringFor(options);

        Assert.Contains("BlobEndpoint=http://127.0.0.1:20000/devstoreaccount1", connection);
        Assert.Contains("QueueEndpoint=http://127.0.0.1:20001/devstoreaccount1", connection);
        Assert.Contains("TableEndpoint=http://127.0.0.1:20002/devstoreaccount1", connection);
    }

    [Fact]
    public void FindToolsDirectory_FromTestOutput_FindsTheRepositoryPackageJson()
    {
        string tools = AzuriteProcess.FindToolsDirectory();

        Assert.True(File.Exists(Path.Combine(tools, "package.json")));
        Assert.True(File.Exists(Path.Combine(tools, "Directory.Build.props")));
    }
}

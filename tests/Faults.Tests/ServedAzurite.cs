using System.Globalization;
using System.Net.Sockets;
using FunctionsBench.Embedded.Azurite;

namespace FunctionsBench.Faults.Tests;

/// <summary>
/// Ports and a data folder of a test's own for the Azurite that <c>serve</c> processes start and share themselves
/// (<c>--azurite-port</c>, <c>--azurite-data</c>). Disposing stops one a failed test left behind and deletes the data.
/// </summary>
internal sealed class ServedAzurite(string name) : IAsyncDisposable
{
    /// <summary>Ports and data folder.</summary>
    public AzuriteOptions Options { get; } = TestAzurite.NewOptions(name);

    /// <summary>The development account on these ports.</summary>
    public string ConnectionString => AzuriteProcess.ConnectionStringFor(this.Options);

    /// <summary>The arguments that put a <c>serve</c> on this Azurite.</summary>
    public IReadOnlyList<string> Arguments => ["--azurite-port", this.Options.BlobPort.ToString(CultureInfo.InvariantCulture), "--azurite-data", this.Options.DataDirectory!];

    /// <summary>Whether all three services accept connections.</summary>
    public async Task<bool> ListeningAsync()
    {
        foreach (int port in new[] { this.Options.BlobPort, this.Options.QueuePort, this.Options.TablePort })
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port);
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether it stops listening within <paramref name="timeout"/>.</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan timeout)
    {
        DateTime giveUp = DateTime.UtcNow + timeout;
        while (await this.ListeningAsync())
        {
            if (DateTime.UtcNow > giveUp)
            {
                return false;
            }

            await Task.Delay(200);
        }

        return true;
    }

    /// <summary>Joining an emulator left running and leaving as its last user stops it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (await this.ListeningAsync())
        {
            AzuriteProcess left = await AzuriteProcess.EnsureStartedAsync(this.Options);
            await left.StopAsync();
        }

        if (Directory.Exists(this.Options.DataDirectory))
        {
            Directory.Delete(this.Options.DataDirectory, recursive: true);
        }
    }
}

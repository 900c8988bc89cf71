using FunctionsBench.Embedded.Azurite;

namespace FunctionsBench.Testing;

/// <summary>
/// An Azurite of a test's own: free ports (never 10000-10002) and a data folder of its own on disk, started through
/// <see cref="AzuriteProcess"/> as the hosts start it. It can be killed (SIGKILL, as a crash) and restarted on the same
/// ports and data. Disposing stops it and deletes the data.
/// </summary>
public sealed class TestAzurite : IAsyncDisposable
{
    private AzuriteProcess? running;

    private TestAzurite(AzuriteOptions options) => this.Options = options;

    /// <summary>Ports and data folder.</summary>
    public AzuriteOptions Options { get; }

    /// <summary>The blob port; queue and table take the next two.</summary>
    public int BlobPort => this.Options.BlobPort;

    /// <summary>The data folder.</summary>
    public string DataDirectory => this.Options.DataDirectory!;

    /// <summary>The development account on these ports.</summary>
    public string ConnectionString => AzuriteProcess.ConnectionStringFor(this.Options);

    /// <summary>Whether it was started and not killed or stopped since.</summary>
    public bool IsRunning => this.running is not null;

    /// <summary>The running emulator's process id.</summary>
    public int? ProcessId => this.running?.ProcessId;

    /// <summary>Ports and a data folder for an emulator, without starting it (for a host that is to start it itself).</summary>
    public static AzuriteOptions NewOptions(string name)
    {
        int port = FreePorts.PickConsecutive(3);
        return new AzuriteOptions
        {
            BlobPort = port,
            QueuePort = port + 1,
            TablePort = port + 2,
            DataDirectory = Path.Combine(Path.GetTempPath(), $"functionsbench-{name}-{Environment.ProcessId}-{port}"),
        };
    }

    /// <summary>Starts an emulator on new ports and a new data folder named after <paramref name="name"/>.</summary>
    public static async Task<TestAzurite> StartAsync(string name)
    {
        var azurite = new TestAzurite(NewOptions(name));
        await azurite.StartAsync();
        return azurite;
    }

    private async Task StartAsync()
    {
        TestLane.RequireFull("Azurite");
        if (this.running is not null)
        {
            throw new InvalidOperationException("Azurite is running already.");
        }

        AzuriteProcess started = await AzuriteProcess.EnsureStartedAsync(this.Options);
        if (!started.IsOwned)
        {
            await started.StopAsync();
            throw new InvalidOperationException($"Something else answers on 127.0.0.1:{this.BlobPort}-{this.BlobPort + 2}; a test's Azurite must be its own.");
        }

        this.running = started;
    }

    /// <summary>Stops it (SIGTERM).</summary>
    public async Task StopAsync()
    {
        AzuriteProcess? process = this.running;
        this.running = null;
        if (process is not null)
        {
            await process.StopAsync();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await this.StopAsync();
        if (Directory.Exists(this.DataDirectory))
        {
            Directory.Delete(this.DataDirectory, recursive: true);
        }
    }
}

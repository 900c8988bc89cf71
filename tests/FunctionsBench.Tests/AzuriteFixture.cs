using System.Diagnostics;
using System.Net.Sockets;

namespace FunctionsBench.Tests;

/// <summary>
/// Azurite on its default ports for the tests that need real storage: reused when something already answers there,
/// otherwise started from the repository's <c>node_modules</c> in memory (a short life, so its 60 s cleanup stall
/// never comes), and stopped at the end only if started here.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The development account on the default ports.</summary>
    public const string ConnectionString = "UseDevelopmentStorage=true";

    private static readonly int[] Ports = [10000, 10001, 10002];

    private Process? started;

    public async Task InitializeAsync()
    {
        bool[] open = await Task.WhenAll(Ports.Select(IsListeningAsync));
        if (open.All(o => o))
        {
            return;
        }

        Assert.False(open.Any(o => o), "Only some of Azurite's ports 10000-10002 answer: another program holds them.");
        string azurite = Path.Combine(Repository.Root, "node_modules", ".bin", "azurite");
        Assert.True(File.Exists(azurite), $"{azurite} is missing: run `npm ci` in the repository root.");

        var start = new ProcessStartInfo(azurite) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])["--silent", "--disableTelemetry", "--skipApiVersionCheck", "--inMemoryPersistence",
                     "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1"])
        {
            start.ArgumentList.Add(argument);
        }

        started = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {azurite}.");
        started.OutputDataReceived += (_, _) => { };
        started.ErrorDataReceived += (_, _) => { };
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        var wait = Stopwatch.StartNew();
        while (!(await Task.WhenAll(Ports.Select(IsListeningAsync))).All(o => o))
        {
            Assert.False(started.HasExited, $"Azurite exited with code {(started.HasExited ? started.ExitCode : 0)} while starting.");
            Assert.True(wait.Elapsed < TimeSpan.FromSeconds(60), "Azurite did not open its ports within 60 s.");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (started is not null)
        {
            started.Kill(entireProcessTree: true);
            await started.WaitForExitAsync();
            started.Dispose();
        }
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }
}

/// <summary>Tests that share one Azurite.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

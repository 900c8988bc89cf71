using System.Globalization;

namespace FunctionsBench.Testing;

/// <summary>
/// The built host's <c>serve</c> command as a child process, so that a test can kill it the way a crash would (leases
/// and dequeued messages stay behind) or run several workers on one task hub.
/// </summary>
public sealed class ServeProcess : IDisposable
{
    private const string ReadyLine = "Embedded host: ";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private ServeProcess(ChildProcess process, Uri baseAddress)
    {
        this.Process = process;
        this.BaseAddress = baseAddress;
        this.Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The process.</summary>
    public ChildProcess Process { get; }

    /// <summary>The process id.</summary>
    public int Id => this.Process.Id;

    /// <summary>Where the API answers.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client of the API.</summary>
    public HttpClient Http { get; }

    /// <summary>What it wrote, for assertions and failure messages.</summary>
    public string Output => this.Process.Output;

    /// <summary>
    /// Starts <c>serve --port <paramref name="port"/> --hub <paramref name="hub"/></c> with <paramref name="arguments"/>
    /// (the storage: <c>--connection</c>, or <c>--azurite-port</c> for a local Azurite) and returns once the API answers.
    /// </summary>
    public static async Task<ServeProcess> StartAsync(
        int port, string hub, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "FunctionsBench.Embedded.dll");
        string[] command = [dll, "serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--hub", hub, .. arguments];
        ChildProcess process = ChildProcess.Start("dotnet", command, environment);
        try
        {
            string line = await process.WaitForLineAsync(l => l.Contains(ReadyLine, StringComparison.Ordinal), StartTimeout, $"serve on port {port}, hub {hub}", cancellationToken);
            string address = line[(line.IndexOf(ReadyLine, StringComparison.Ordinal) + ReadyLine.Length)..].Split(' ')[0];
            return new ServeProcess(process, new Uri(address));
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Starts <c>serve</c> on the storage account <paramref name="connection"/> (so it starts no Azurite of its own).</summary>
    public static Task<ServeProcess> StartAsync(int port, string hub, string connection, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
        => StartAsync(port, hub, ["--connection", connection], environment, cancellationToken);

    /// <summary>Kills the process at once (SIGKILL) and waits until it is gone.</summary>
    public void Kill() => this.Process.Kill();

    /// <summary>Stops it as Ctrl+C does (SIGTERM); returns the exit code.</summary>
    public Task<int> StopAsync() => this.Process.StopAsync(TimeSpan.FromSeconds(45));

    /// <inheritdoc/>
    public void Dispose()
    {
        this.Http.Dispose();
        this.Process.Dispose();
    }
}

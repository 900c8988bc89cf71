using FunctionsBench.Embedded.Web;
using Microsoft.Extensions.Logging;

namespace FunctionsBench.Faults.Tests;

/// <summary>What the fault tests share: task hub names, and an in-process embedded host on given storage.</summary>
internal static class FaultHosts
{
    // In-process hosts read the floors' settings from the environment, as serve does.
    static FaultHosts() => TestFloors.SetInThisProcess();

    /// <summary>A task hub name no other test uses.</summary>
    public static string NewHub(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 10)];

    /// <summary>The embedded host on <paramref name="connection"/> and a new task hub, with host.json's settings; its warnings go to <paramref name="logs"/>.</summary>
    public static Task<EmbeddedWebHost> StartAsync(string connection, string hubPrefix, LogCapture logs, Action<EmbeddedHostOptions>? configure = null)
    {
        var options = new EmbeddedHostOptions { ConnectionString = connection, TaskHubName = NewHub(hubPrefix) };
        configure?.Invoke(options);
        return EmbeddedWebHost.StartAsync(new EmbeddedWebHostOptions { Port = 0 }, options, logging =>
        {
            logging.SetMinimumLevel(LogLevel.Warning);
            logs.AddTo(logging);
        });
    }
}

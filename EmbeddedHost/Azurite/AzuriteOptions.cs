namespace FunctionsBench.Embedded.Azurite;

/// <summary>How to find or start the local Azurite storage emulator (configuration section <c>Azurite</c>).</summary>
public sealed class AzuriteOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Azurite";

    /// <summary>
    /// The folder holding <c>package.json</c> that pins Azurite (its <c>node_modules</c> receive it); when null, the first
    /// ancestor of the application folder that has one.
    /// </summary>
    public string? ToolsDirectory { get; set; }

    /// <summary>Where Azurite keeps its data; when null, <c>.azurite</c> in <see cref="ToolsDirectory"/>.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// Keeps data in memory only. Azurite's in-memory mode stalls every minute on message clean-up, so only for short runs.
    /// </summary>
    public bool InMemory { get; set; }

    /// <summary>The blob service port.</summary>
    public int BlobPort { get; set; } = 10000;

    /// <summary>The queue service port.</summary>
    public int QueuePort { get; set; } = 10001;

    /// <summary>The table service port.</summary>
    public int TablePort { get; set; } = 10002;

    /// <summary>How long Azurite (and a first <c>npm ci</c>) may take to start answering.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How long Azurite may take to exit after SIGTERM before it is killed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

using System.Net;

namespace FunctionsBench.Embedded.Web;

/// <summary>Where the embedded host serves its HTTP API (configuration section <c>Web</c>).</summary>
public sealed class EmbeddedWebHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Web";

    /// <summary>The port <c>func start</c> uses, so clients and docs work against either host unchanged.</summary>
    public const int DefaultPort = 7071;

    /// <summary>An IP address, <c>localhost</c>, or <c>*</c> for every interface. Loopback unless told otherwise.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one (see <see cref="EmbeddedWebHost.BaseAddress"/>).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// The function key every request must carry (<c>x-functions-key</c> header or <c>code</c> query parameter).
    /// Required when <see cref="BindAddress"/> is not a loopback address; optional otherwise.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Whether <see cref="BindAddress"/> accepts connections from this machine only.</summary>
    public bool IsLoopback => string.Equals(this.BindAddress, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(this.BindAddress, out IPAddress? address) && IPAddress.IsLoopback(address));

    /// <summary>Throws when the settings would expose the API without a key, or cannot be bound.</summary>
    public void Validate()
    {
        if (this.Port is < 0 or > IPEndPoint.MaxPort)
        {
            throw new ArgumentOutOfRangeException(nameof(this.Port), this.Port, "The port must be 0 to 65535.");
        }

        if (this.BindAddress != "*" && !this.IsLoopback && !IPAddress.TryParse(this.BindAddress, out _))
        {
            throw new ArgumentException($"Bind address '{this.BindAddress}' is not an IP address, 'localhost' or '*'.", nameof(this.BindAddress));
        }

        if (!this.IsLoopback && string.IsNullOrWhiteSpace(this.ApiKey))
        {
            throw new ArgumentException($"Binding to {this.BindAddress} exposes the API beyond this machine; set a function key ({Section}:{nameof(this.ApiKey)}, or --api-key).", nameof(this.ApiKey));
        }
    }
}

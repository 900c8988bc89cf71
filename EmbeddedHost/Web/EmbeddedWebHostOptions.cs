using System.Net;
using Microsoft.Extensions.Options;

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
}

/// <summary>Checks where the embedded host would listen: never beyond this machine without a key.</summary>
public sealed class EmbeddedWebHostOptionsValidator : IValidateOptions<EmbeddedWebHostOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, EmbeddedWebHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Port is < 0 or > IPEndPoint.MaxPort)
        {
            failures.Add($"The port {options.Port} must be 0 to 65535.");
        }

        if (options.BindAddress != "*" && !options.IsLoopback && !IPAddress.TryParse(options.BindAddress, out _))
        {
            failures.Add($"Bind address '{options.BindAddress}' is not an IP address, 'localhost' or '*'.");
        }
        else if (!options.IsLoopback && string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add($"Binding to {options.BindAddress} exposes the API beyond this machine; set a function key ({EmbeddedWebHostOptions.Section}:{nameof(options.ApiKey)}, or --api-key).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

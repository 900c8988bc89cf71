using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.Configuration;

namespace FunctionsBench.Hosting;

/// <summary>
/// Sends each per-event latency to Application Insights as the metric <c>bench.latency.ms</c> (dimensions scenario and
/// invocations) when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is configured; does nothing otherwise.
/// </summary>
public sealed class BenchTelemetry : IDisposable
{
    /// <summary>The setting that turns telemetry on.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The metric's name.</summary>
    public const string LatencyMetric = "bench.latency.ms";

    private readonly TelemetryConfiguration? configuration;
    private readonly TelemetryClient? client;

    /// <summary>Reads the connection string from <paramref name="settings"/>.</summary>
    public BenchTelemetry(IConfiguration settings)
    {
        string? connectionString = settings[ConnectionStringSetting];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            this.configuration = new TelemetryConfiguration { ConnectionString = connectionString };
            this.client = new TelemetryClient(this.configuration);
        }
    }

    /// <summary>Whether latencies are being sent.</summary>
    public bool IsEnabled => this.client is not null;

    /// <summary>Tracks one latency.</summary>
    public void TrackLatency(string scenario, int invocations, double latencyMs)
        => this.client?.GetMetric(LatencyMetric, "scenario", "invocations")
            .TrackValue(latencyMs, scenario, invocations.ToString(CultureInfo.InvariantCulture));

    /// <inheritdoc/>
    public void Dispose()
    {
        this.client?.Flush();
        this.configuration?.Dispose();
    }
}

using Microsoft.Extensions.Logging;

namespace FunctionsBench.BenchOrchestrator.Floors;

internal static partial class Logs
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Storage floor on {Connection}: {StepsPerSecond:0.0} steps/s, {MeanMs:0.00} ms per step (p50 {P50Ms:0.00}, p99 {P99Ms:0.00}) over {Steps} steps")]
    public static partial void StorageFloorMeasured(ILogger logger, string connection, double stepsPerSecond, double meanMs, double p50Ms, double p99Ms, int steps);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "HTTP floor on {Url}: {RequestsPerSecond:0.0} requests/s, {MeanMs:0.000} ms per request (p50 {P50Ms:0.000}, p99 {P99Ms:0.000}) over {Requests} requests")]
    public static partial void HttpFloorMeasured(ILogger logger, string url, double requestsPerSecond, double meanMs, double p50Ms, double p99Ms, int requests);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Floors: {Floor} not measured: {Reason}")]
    public static partial void FloorNotMeasured(ILogger logger, string floor, string reason, Exception? exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "StateFun warm-up: {Logins} logins of a separate user in {Seconds:0.00} s")]
    public static partial void StateFunWarmedUp(ILogger logger, int logins, double seconds);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "StateFun logins start after {Seconds:0.00} s waiting for the JIT (quiet: {Quiet})")]
    public static partial void JitSettled(ILogger logger, double seconds, bool quiet);
}

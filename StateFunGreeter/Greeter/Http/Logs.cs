using Microsoft.Extensions.Logging;

namespace FunctionsBench.StateFun;

internal static partial class Logs
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "StateFun request rejected with {StatusCode}: {Reason}")]
    public static partial void RequestRejected(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "StateFun function failed; answering 500 so that the runtime retries")]
    public static partial void FunctionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "StateFun greeter listening on {Address}")]
    public static partial void Listening(ILogger logger, Uri address);
}

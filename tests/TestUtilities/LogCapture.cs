using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FunctionsBench.Testing;

/// <summary>A logging provider that keeps the messages of an in-process host at or above a level, for tests that assert what it logged.</summary>
public sealed class LogCapture(LogLevel minimum = LogLevel.Warning) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> messages = new();

    /// <summary>The messages so far: <c>{level} {category}: {message}</c>.</summary>
    public IReadOnlyList<string> Messages => [.. this.messages];

    /// <summary>The messages so far that contain <paramref name="text"/>.</summary>
    public IReadOnlyList<string> Containing(string text) => [.. this.messages.Where(m => m.Contains(text, StringComparison.Ordinal))];

    /// <summary>Adds the provider to a host's logging.</summary>
    public void AddTo(ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddProvider(this);
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (this.IsEnabled(logLevel))
            {
                owner.messages.Enqueue($"{logLevel} {category}: {formatter(state, exception)}");
            }
        }
    }

    private LogLevel MinimumLevel => minimum;
}

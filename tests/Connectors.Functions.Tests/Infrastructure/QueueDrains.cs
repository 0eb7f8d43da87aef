using Microsoft.Extensions.Logging;

namespace Connectors.Functions.Tests.Infrastructure;

/// <summary>
/// The queue listener's line saying it has drained the queue (<c>Queue … drained: …</c>), as a <see cref="Signal"/>:
/// read from an app's log in this process (as a logger provider), or from a child process's standard output.
/// </summary>
internal sealed class QueueDrains : ILoggerProvider
{
    private const string Marker = " drained: ";

    /// <summary>Raised each time a listener says it drained the queue.</summary>
    public Signal Signal { get; } = new();

    /// <summary>A log factory for an app in this process whose drained lines raise <see cref="Signal"/>.</summary>
    public ILoggerFactory Logging() => LoggerFactory.Create(builder => builder.AddProvider(this));

    /// <summary>Looks at one line of a child process's output.</summary>
    public void Observe(string line)
    {
        if (line.Contains(Marker, StringComparison.Ordinal)) Signal.Raise();
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Listener(this);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Listener(QueueDrains drains) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) drains.Observe(formatter(state, exception));
        }
    }
}

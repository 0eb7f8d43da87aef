using Connectors.Core.Queue;
using Connectors.Functions.Timers;
using Microsoft.Extensions.Logging;

namespace Connectors.Functions.Standalone;

/// <summary>
/// <c>connectors serve</c>: the function app's server plus its own trigger loops — a
/// <see cref="QueueListener"/> on the work queue with the Functions queue-trigger semantics, and a
/// scheduler for the timers — so that the same binary runs without the Functions host, and any number of
/// processes can share one queue.
/// </summary>
internal static class StandaloneHost
{
    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled; <paramref name="started"/> is told the address once the server listens.</summary>
    public static async Task RunAsync(FunctionApp app, Action<Uri>? started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Settings;
        var listener = new QueueListener(app.Storage.Queue, app.Worker, new QueueListenerOptions
        {
            BatchSize = settings.BatchSize,
            MaxDequeueCount = settings.MaxDequeueCount,
            VisibilityTimeout = settings.VisibilityTimeout,
            MinPollingInterval = settings.MaxPollingInterval < TimeSpan.FromMilliseconds(100) ? settings.MaxPollingInterval : TimeSpan.FromMilliseconds(100),
            MaxPollingInterval = settings.MaxPollingInterval,
            LeaseDuration = settings.MessageLease,
        }, app.Clock, app.Logging.CreateLogger<QueueListener>());
        var scheduler = new SchedulerLoop(app.Scheduler, app.Sweep, settings, app.Clock, app.Logging.CreateLogger<SchedulerLoop>());

        await using var server = app.BuildServer(settings.Port);
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        started?.Invoke(new Uri(server.Urls.First()));
        try
        {
            await Task.WhenAll(listener.RunAsync(cancellationToken), scheduler.RunAsync(cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}

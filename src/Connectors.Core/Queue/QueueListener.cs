using Microsoft.Extensions.Logging;

namespace Connectors.Core.Queue;

/// <summary>
/// Polls an <see cref="IWorkQueue"/> and hands what it receives to an <see cref="ISyncRequestHandler"/>,
/// with the Azure Functions queue-trigger semantics, so that the standalone binary treats a message
/// exactly as the function app does:
/// <list type="bullet">
/// <item>up to <see cref="QueueListenerOptions.BatchSize"/> messages per poll; the next poll when the
/// messages in flight drop to <see cref="QueueListenerOptions.NewBatchThreshold"/>;</item>
/// <item>an empty queue is polled again after a wait that doubles up to
/// <see cref="QueueListenerOptions.MaxPollingInterval"/>, and drops back as soon as a message comes;</item>
/// <item>a failed message comes back after <see cref="QueueListenerOptions.VisibilityTimeout"/>; its
/// <see cref="QueueListenerOptions.MaxDequeueCount"/>th failure moves it to the poison queue, and a message
/// seen more often than that (its worker crashed) is moved there on sight;</item>
/// <item>messages whose handler is still running are kept hidden by extending their visibility.</item>
/// </list>
/// When a poll finds the queue empty, nothing of this listener's is in flight, and it settled messages since it
/// last said so, it logs that it has drained the queue (once per burst of work, not per poll): what an operator
/// or a supervising process waits for.
/// </summary>
public sealed class QueueListener
{
    private readonly IWorkQueue _queue;
    private readonly ISyncRequestHandler _handler;
    private readonly QueueListenerOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<QueueListener> _log;

    /// <summary>Creates a listener; the options are validated here.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">An option is out of range.</exception>
    public QueueListener(IWorkQueue queue, ISyncRequestHandler handler, QueueListenerOptions options, TimeProvider clock, ILogger<QueueListener> log)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        _queue = queue;
        _handler = handler;
        _options = options;
        _clock = clock;
        _log = log;
    }

    /// <summary>
    /// Listens until <paramref name="cancellationToken"/> is cancelled, then stops polling, cancels the
    /// handlers still running, gives their messages back to the queue at once, and returns when every
    /// batch in flight is settled.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batches = new HashSet<Task>();
        var messagesInFlight = 0;
        var settledSinceDrained = 0;
        using var settled = new SemaphoreSlim(0);
        var idleWait = TimeSpan.Zero;
        _log.LogInformation("Listening on queue {Queue}", _queue.Name);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (Volatile.Read(ref messagesInFlight) > _options.EffectiveNewBatchThreshold)
                {
                    await settled.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var received = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
                if (received is { Count: 0 } && Volatile.Read(ref messagesInFlight) == 0 && Interlocked.Exchange(ref settledSinceDrained, 0) is > 0 and var count)
                {
                    _log.LogInformation("Queue {Queue} drained: {Count} message(s) settled since it last was, none in flight here", _queue.Name, count);
                }
                if (received is not { Count: > 0 } messages)
                {
                    idleWait = idleWait == TimeSpan.Zero
                        ? _options.MinPollingInterval
                        : TimeSpan.FromTicks(Math.Min(idleWait.Ticks * 2, _options.MaxPollingInterval.Ticks));
                    await Task.Delay(idleWait, _clock, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                idleWait = TimeSpan.Zero;
                Interlocked.Add(ref messagesInFlight, messages.Count);
                batches.RemoveWhere(b => b.IsCompleted);
                batches.Add(SettleAsync(messages));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal way out of the loop.
        }
        finally
        {
            await Task.WhenAll(batches).ConfigureAwait(false);
            _log.LogInformation("Stopped listening on queue {Queue}", _queue.Name);
        }

        async Task SettleAsync(IReadOnlyList<ReceivedMessage> messages)
        {
            try
            {
                await ProcessBatchAsync(messages, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Add(ref settledSinceDrained, messages.Count);
                Interlocked.Add(ref messagesInFlight, -messages.Count);
                settled.Release();
            }
        }
    }

    /// <summary>The next batch; <see langword="null"/> when the queue could not be read (which says nothing about whether it is empty).</summary>
    private async Task<IReadOnlyList<ReceivedMessage>?> ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _queue.ReceiveAsync(_options.BatchSize, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // An outage of the queue is waited out like an empty queue: with growing pauses.
            _log.LogWarning(e, "Receiving from queue {Queue} failed", _queue.Name);
            return null;
        }
    }

    private async Task ProcessBatchAsync(IReadOnlyList<ReceivedMessage> messages, CancellationToken stopping)
    {
        var deliveries = new List<SyncDelivery>(messages.Count);
        foreach (var message in messages)
        {
            SyncRequest request;
            try
            {
                request = SyncRequest.FromJson(message.Body);
            }
            catch (FormatException e)
            {
                await PoisonAsync(message, null, $"The message is not a sync request: {e.Message}").ConfigureAwait(false);
                continue;
            }
            if (message.DequeueCount > _options.MaxDequeueCount)
            {
                // Only a delivery that was never settled (its worker stopped or crashed mid-run) gets here.
                await PoisonAsync(message, request,
                    $"The message was delivered {message.DequeueCount} times without being completed; the last attempts never finished.").ConfigureAwait(false);
                continue;
            }
            deliveries.Add(new SyncDelivery(message, request));
        }
        if (deliveries.Count == 0) return;

        var holds = deliveries.ToDictionary(d => d.Message.Id, d => (ReceivedMessage?)d.Message, StringComparer.Ordinal);
        IReadOnlyList<DeliveryOutcome>? outcomes = null;
        string? batchFailure = null;
        var stopped = false;
        using (var handled = new CancellationTokenSource())
        {
            var keepAlive = KeepAliveAsync(holds, handled.Token);
            try
            {
                outcomes = await _handler.HandleAsync(deliveries, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                stopped = true;
            }
            catch (Exception e)
            {
                _log.LogError(e, "The handler failed a batch of {Count} message(s) from queue {Queue}", deliveries.Count, _queue.Name);
                batchFailure = $"{e.GetType().Name}: {e.Message}";
            }
            finally
            {
                await handled.CancelAsync().ConfigureAwait(false);
                await keepAlive.ConfigureAwait(false);
            }
        }

        var byId = new Dictionary<string, DeliveryOutcome>(StringComparer.Ordinal);
        foreach (var outcome in outcomes ?? [])
        {
            if (!holds.ContainsKey(outcome.MessageId) || !byId.TryAdd(outcome.MessageId, outcome))
            {
                _log.LogWarning("The handler answered message {MessageId}, which was not in its batch or was answered twice; ignored", outcome.MessageId);
            }
        }

        foreach (var delivery in deliveries)
        {
            var current = holds[delivery.Message.Id];
            if (current is null)
            {
                // The hold was lost while the handler ran: the message is someone else's delivery now.
                continue;
            }
            try
            {
                if (stopped)
                {
                    await _queue.ReturnAsync(current, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
                    continue;
                }
                switch (byId.GetValueOrDefault(current.Id))
                {
                    case DeliveryOutcome.Handled:
                        if (!await _queue.CompleteAsync(current, CancellationToken.None).ConfigureAwait(false))
                        {
                            _log.LogWarning("Message {MessageId} of flow {Flow} was handled, but its delivery had expired; it may be handled again",
                                current.Id, delivery.Request.Flow);
                        }
                        break;
                    case DeliveryOutcome.Failed failed:
                        await FailAsync(current, delivery.Request, failed.Reason, failed.RetryAfter).ConfigureAwait(false);
                        break;
                    default:
                        await FailAsync(current, delivery.Request, batchFailure ?? "The handler returned no outcome for this message.", null).ConfigureAwait(false);
                        break;
                }
            }
            catch (Exception e)
            {
                // The message comes back when its visibility runs out, so nothing is lost.
                _log.LogWarning(e, "Settling message {MessageId} on queue {Queue} failed", current.Id, _queue.Name);
            }
        }
    }

    private async Task FailAsync(ReceivedMessage message, SyncRequest request, string reason, TimeSpan? retryAfter)
    {
        if (message.DequeueCount >= _options.MaxDequeueCount)
        {
            await PoisonAsync(message, request, reason).ConfigureAwait(false);
            return;
        }
        _log.LogWarning("Message {MessageId} of flow {Flow} failed attempt {Attempt} of {MaxAttempts}: {Reason}",
            message.Id, request.Flow, message.DequeueCount, _options.MaxDequeueCount, reason);
        await _queue.ReturnAsync(message, retryAfter ?? _options.VisibilityTimeout, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task PoisonAsync(ReceivedMessage message, SyncRequest? request, string reason)
    {
        bool moved;
        try
        {
            moved = await _queue.MoveToPoisonAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The message stays where it is and comes back; its next delivery is poisoned on sight.
            _log.LogWarning(e, "Moving message {MessageId} to {PoisonQueue} failed", message.Id, _queue.PoisonQueueName);
            return;
        }
        if (!moved)
        {
            // Another receiver holds the message now and will settle it; reporting it here too would dead-letter it twice.
            _log.LogWarning("Message {MessageId} was copied to {PoisonQueue}, but its delivery had expired", message.Id, _queue.PoisonQueueName);
            return;
        }
        _log.LogError("Message {MessageId} of flow {Flow} moved to {PoisonQueue} after {Attempts} attempt(s): {Reason}",
            message.Id, request?.Flow, _queue.PoisonQueueName, message.DequeueCount, reason);
        try
        {
            await _handler.OnPoisonedAsync(new PoisonedMessage(message, request, reason), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log.LogError(e, "Reporting poisoned message {MessageId} failed; it stays in {PoisonQueue}", message.Id, _queue.PoisonQueueName);
        }
    }

    /// <summary>Extends the visibility of the held messages every half lease until <paramref name="handled"/> fires.</summary>
    private async Task KeepAliveAsync(Dictionary<string, ReceivedMessage?> holds, CancellationToken handled)
    {
        var interval = _options.LeaseDuration / 2;
        while (true)
        {
            try
            {
                await Task.Delay(interval, _clock, handled).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            foreach (var id in holds.Keys.ToArray())
            {
                if (holds[id] is not { } current) continue;
                try
                {
                    // Not cancellable: an extension that reached the queue but whose answer we dropped
                    // would leave us with a stale receipt, and the finished work could not be completed.
                    holds[id] = await _queue.ExtendAsync(current, _options.LeaseDuration, CancellationToken.None).ConfigureAwait(false);
                    if (holds[id] is null)
                    {
                        _log.LogWarning("Lost the hold on message {MessageId} of queue {Queue}; another receiver may handle it too", id, _queue.Name);
                    }
                }
                catch (Exception e)
                {
                    _log.LogWarning(e, "Extending message {MessageId} on queue {Queue} failed; retrying at the next interval", id, _queue.Name);
                }
            }
        }
    }
}

using System.Collections.Concurrent;
using Connectors.Core.Queue;
using Connectors.Functions.Hosting;
using Microsoft.Extensions.Logging;

namespace Connectors.Functions.Webhooks;

/// <summary>
/// Takes verified webhook events into the work queue by groups. Each storage round trip costs far more
/// than verifying a delivery, so the events that arrive while a group is being written wait for the next
/// group rather than making round trips of their own: under a burst a group holds hundreds of events and
/// costs one ledger transaction per partition, one queue message per flow and hundred records, and one
/// write to mark them queued; a lone event still goes at once. An event whose
/// duplicate this instance has just taken in is settled here without storage at all.
/// </summary>
/// <remarks>
/// Groups are written by the callers themselves (a caller that finds fewer than <see cref="Writers"/>
/// writers at work becomes one), so there is no background task to start, stop or lose: a writer that
/// finds nothing more to write stops, and looks once more after it stopped counting, so that an event
/// queued in between is never stranded.
/// </remarks>
internal sealed class DeliveryIntake
{
    /// <summary>
    /// Groups written at the same time. One, as long as one group holds what waits: the events that arrive
    /// while it waits on storage make the next group, and bigger groups cost storage fewer round trips. A
    /// second starts when more wait than a group holds.
    /// </summary>
    public const int Writers = 2;

    private readonly IWorkQueue _queue;
    private readonly IDeliveryLedger _ledger;
    private readonly FunctionAppSettings _settings;
    private readonly ILogger _log;
    private readonly ConcurrentQueue<IntakeEvent> _waiting = new();
    private readonly RecentDeliveries _recent;
    private int _writers;

    public DeliveryIntake(IWorkQueue queue, IDeliveryLedger ledger, FunctionAppSettings settings, ILogger log)
    {
        _queue = queue;
        _ledger = ledger;
        _settings = settings;
        _log = log;
        _recent = new RecentDeliveries(settings.WebhookRecentDeliveries);
    }

    /// <summary>
    /// Takes one event in: <paramref name="requests"/> are queued unless <paramref name="deliveryKey"/> was
    /// taken in before. The task ends when the event is settled, whatever <paramref name="cancellationToken"/>
    /// does to the caller's wait: other callers' events are written in the same group.
    /// </summary>
    public Task<IntakeOutcome> TakeAsync(string system, string? deliveryKey, IReadOnlyList<SyncRequest> requests, CancellationToken cancellationToken)
    {
        var intake = new IntakeEvent(system, deliveryKey, requests);
        if (deliveryKey is not null && _recent.Join(system, deliveryKey, intake.Settled) is { } first)
        {
            return AsDuplicateAsync(first).WaitAsync(cancellationToken);
        }
        _waiting.Enqueue(intake);
        StartWriter();
        return intake.Settled.Task.WaitAsync(cancellationToken);
    }

    private static async Task<IntakeOutcome> AsDuplicateAsync(Task<IntakeOutcome> first) =>
        await first.ConfigureAwait(false) switch
        {
            IntakeOutcome.Queued or IntakeOutcome.Duplicate => IntakeOutcome.Duplicate,
            var other => other,
        };

    private void StartWriter()
    {
        while (!_waiting.IsEmpty)
        {
            var writers = Volatile.Read(ref _writers);
            // A writer at work takes this event in its next group, or sees it when it looks once more on stopping.
            if (writers >= (_waiting.Count > _settings.WebhookIntakeGroup ? Writers : 1)) return;
            if (Interlocked.CompareExchange(ref _writers, writers + 1, writers) != writers) continue;
            // On the pool, not on the caller's thread: a storage client that blocks must not hold up the caller's answer.
            _ = Task.Run(WriteAsync);
            return;
        }
    }

    private async Task WriteAsync()
    {
        try
        {
            var group = new List<IntakeEvent>();
            while (true)
            {
                group.Clear();
                while (group.Count < _settings.WebhookIntakeGroup && _waiting.TryDequeue(out var next)) group.Add(next);
                if (group.Count == 0) break;
                await WriteGroupAsync(group).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _writers);
            StartWriter();
        }
    }

    private async Task WriteGroupAsync(List<IntakeEvent> group)
    {
        var taken = new List<IntakeEvent>(group.Count);
        var claimed = new List<DeliveryClaims>();
        try
        {
            foreach (var system in group.Where(e => e.DeliveryKey is not null).GroupBy(e => e.System, StringComparer.Ordinal))
            {
                var events = system.ToArray();
                DeliveryClaims claims;
                try
                {
                    claims = await _ledger.TryClaimAsync(system.Key, [.. events.Select(e => e.DeliveryKey!)], _settings.WebhookClaimTimeout, CancellationToken.None)
                        .ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    _log.LogError(e, "Webhooks for {System}: claiming {Count} event(s) failed; asking the vendor to retry", system.Key, events.Length);
                    foreach (var intake in events) Settle(intake, IntakeOutcome.Failed);
                    continue;
                }
                claimed.Add(claims);
                for (var i = 0; i < events.Length; i++)
                {
                    switch (claims.Claims[i])
                    {
                        case DeliveryClaim.Taken: taken.Add(events[i]); break;
                        case DeliveryClaim.Duplicate: Settle(events[i], IntakeOutcome.Duplicate); break;
                        default: Settle(events[i], IntakeOutcome.InProgress); break;
                    }
                }
            }
            taken.AddRange(group.Where(e => e.DeliveryKey is null));
            if (taken.Count == 0) return;
            try
            {
                await _queue.EnqueueAsync(Messages(taken), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Not queued: give the claims up so that the vendor's retries are taken in, and ask for them.
                _log.LogError(e, "Webhooks: queueing {Count} event(s) failed; asking the vendor to retry", taken.Count);
                await EachAsync(claimed, _ledger.ForgetAsync, "giving up the claims").ConfigureAwait(false);
                foreach (var intake in taken) Settle(intake, IntakeOutcome.Failed);
                return;
            }
            // Marked before the answers, so that a duplicate sent anywhere after an answer is known as one. Queued all the
            // same when marking fails: the claims run out, and a retry of those events is queued once more, which the worker shrugs off.
            await EachAsync(claimed, _ledger.MarkQueuedAsync, "marking them queued").ConfigureAwait(false);
            foreach (var intake in taken) Settle(intake, IntakeOutcome.Queued);
        }
        finally
        {
            foreach (var intake in group) Settle(intake, IntakeOutcome.Failed);
        }
    }

    /// <summary>
    /// One message per flow and <see cref="FunctionAppSettings.WebhookIdsPerMessage"/> records: the worker
    /// reads them back by id in one call and writes them in one batch. A request for the whole flow (no ids)
    /// is kept apart, once per flow.
    /// </summary>
    private List<SyncRequest> Messages(IReadOnlyList<IntakeEvent> events)
    {
        var messages = new List<SyncRequest>();
        foreach (var flow in events.SelectMany(e => e.Requests.Select(r => (Event: e, Request: r))).GroupBy(x => x.Request.Flow, StringComparer.Ordinal))
        {
            var requests = flow.Select(x => x.Request).ToArray();
            var at = requests.Min(r => r.ReceivedAt);
            var stream = requests[0].Stream;
            if (requests.Any(r => r.RecordIds.Count == 0))
            {
                messages.Add(new SyncRequest(flow.Key, stream, [], EventOf(flow.Where(x => x.Request.RecordIds.Count == 0).Select(x => x.Event)), at));
            }
            var ids = requests.SelectMany(r => r.RecordIds).Distinct(StringComparer.Ordinal).ToArray();
            if (ids.Length == 0) continue;
            messages.AddRange(new SyncRequest(flow.Key, stream, ids, EventOf(flow.Where(x => x.Request.RecordIds.Count > 0).Select(x => x.Event)), at)
                .Split(_settings.WebhookIdsPerMessage));
        }
        return messages;
    }

    /// <summary>The event id a merged message carries: the event's own when it stands for one, none when for several.</summary>
    private static string? EventOf(IEnumerable<IntakeEvent> events)
    {
        var keys = events.Select(e => e.DeliveryKey).Distinct(StringComparer.Ordinal).Take(2).ToArray();
        return keys.Length == 1 ? keys[0] : null;
    }

    private async Task EachAsync(IEnumerable<DeliveryClaims> groups, Func<DeliveryClaims, CancellationToken, Task> write, string what)
    {
        foreach (var claims in groups)
        {
            try
            {
                await write(claims, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _log.LogWarning(e, "Webhooks for {System}: {What} failed; those claims run out after {Timeout}", claims.System, what, _settings.WebhookClaimTimeout);
            }
        }
    }

    private void Settle(IntakeEvent intake, IntakeOutcome outcome)
    {
        if (!intake.Settled.TrySetResult(outcome) || intake.DeliveryKey is null) return;
        if (outcome is IntakeOutcome.Queued or IntakeOutcome.Duplicate)
        {
            _recent.Remember(intake.System, intake.DeliveryKey);
        }
        else
        {
            // Unsettled here: the vendor's next attempt must reach the ledger again.
            _recent.Forget(intake.System, intake.DeliveryKey, intake.Settled.Task);
        }
    }

    /// <summary>One event waiting for its group.</summary>
    private sealed class IntakeEvent(string system, string? deliveryKey, IReadOnlyList<SyncRequest> requests)
    {
        public string System { get; } = system;

        public string? DeliveryKey { get; } = deliveryKey;

        public IReadOnlyList<SyncRequest> Requests { get; } = requests;

        public TaskCompletionSource<IntakeOutcome> Settled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

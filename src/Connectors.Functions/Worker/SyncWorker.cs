using Connectors.Core.Configuration;
using Connectors.Core.Queue;
using Connectors.Core.Records;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Connectors.Functions.Hosting;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace Connectors.Functions.Worker;

/// <summary>
/// The <c>sync-worker</c> function: syncs the records named by a batch of queued requests. Requests of
/// one flow are merged into one run over the union of their ids, so a burst of webhooks costs one read
/// and one write call per target batch; the run reads every record as it is now, and fingerprints make
/// a redelivered request free. When a merged run fails, its messages are run one by one, so that one
/// bad message fails alone and the others are handled; a message of several records that keeps failing
/// is split into one message per record.
/// </summary>
internal sealed class SyncWorker(ConnectorHost host, IWorkQueue queue, TimeProvider clock, ILogger<SyncWorker> log) : ISyncRequestHandler
{
    /// <summary>The dead-letter code of a request given up after its attempts ran out.</summary>
    public const string PoisonCode = "POISON_MESSAGE";

    // Two instances syncing the same new record race on its link row; the loser reads again and finds the winner's work.
    private const int ConflictRetries = 3;

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeliveryOutcome>> HandleAsync(IReadOnlyList<SyncDelivery> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var outcomes = new List<DeliveryOutcome>(batch.Count);
        foreach (var group in batch.GroupBy(d => d.Request.Flow, StringComparer.Ordinal))
        {
            if (!host.Config.Flows.Any(f => f.Name == group.Key))
            {
                outcomes.AddRange(group.Select(d => new DeliveryOutcome.Failed(d.Message.Id, $"The config has no flow named '{group.Key}'.")));
                continue;
            }
            await RunAsync(group.Key, [.. group], outcomes, cancellationToken).ConfigureAwait(false);
        }
        return outcomes;
    }

    /// <inheritdoc />
    public async Task OnPoisonedAsync(PoisonedMessage poisoned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(poisoned);
        if (poisoned.Request is not { } request || host.Config.Flows.FirstOrDefault(f => f.Name == request.Flow) is not { } flow)
        {
            log.LogError("Message {MessageId} moved to {PoisonQueue} names no flow of this config: {Reason}", poisoned.Message.Id, queue.PoisonQueueName, poisoned.Reason);
            return;
        }
        var now = clock.GetUtcNow();
        var message = $"{poisoned.Reason} Given up after {poisoned.Message.DequeueCount} attempt(s); the request is in {queue.PoisonQueueName}.";
        var body = JObject.Parse(request.ToJson());
        var stream = request.Stream ?? flow.From.ToString();
        var ids = request.RecordIds.Count > 0 ? request.RecordIds : ["*"];
        var letters = ids.Select(id => new DeadLetter(flow.Name, new RecordKey(stream, id), PoisonCode, null, message, body, now)).ToArray();
        await host.State.CommitAsync(new StateCommit(flow.Name, [], letters, null), cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(string flow, IReadOnlyList<SyncDelivery> deliveries, List<DeliveryOutcome> outcomes, CancellationToken cancellationToken)
    {
        var failure = await TrySyncAsync(flow, deliveries, cancellationToken).ConfigureAwait(false);
        if (failure is null)
        {
            outcomes.AddRange(deliveries.Select(d => new DeliveryOutcome.Handled(d.Message.Id)));
            return;
        }
        if (deliveries.Count == 1)
        {
            outcomes.Add(await SplitAsync(deliveries[0], failure, cancellationToken).ConfigureAwait(false)
                ?? new DeliveryOutcome.Failed(deliveries[0].Message.Id, failure));
            return;
        }
        log.LogWarning("Flow {Flow}: a merged run of {Count} messages failed ({Reason}); running them one by one", flow, deliveries.Count, failure);
        foreach (var delivery in deliveries)
        {
            await RunAsync(flow, [delivery], outcomes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A message of several records that failed before and fails again is split into one message per record,
    /// so that a record that keeps failing goes to the poison queue alone and the others are synced. A first
    /// failure is retried whole: it is most often the target being down, which one message rides out more
    /// cheaply than a hundred. <see langword="null"/> when the message is not split.
    /// </summary>
    private async Task<DeliveryOutcome?> SplitAsync(SyncDelivery delivery, string failure, CancellationToken cancellationToken)
    {
        var request = delivery.Request;
        if (request.RecordIds.Count < 2 || delivery.Message.DequeueCount < 2) return null;
        log.LogWarning("Flow {Flow}: a message of {Count} records failed again ({Reason}); splitting it into one message per record",
            request.Flow, request.RecordIds.Count, failure);
        try
        {
            await queue.EnqueueAsync(request.Split(1), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogError(e, "Flow {Flow}: splitting the message failed; it stays as it is", request.Flow);
            return null;
        }
        return new DeliveryOutcome.Handled(delivery.Message.Id);
    }

    /// <summary>Runs the deliveries' records; <see langword="null"/> when every record was handled (written, unchanged or dead-lettered), else why not.</summary>
    private async Task<string?> TrySyncAsync(string flow, IReadOnlyList<SyncDelivery> deliveries, CancellationToken cancellationToken)
    {
        var wholeFlow = deliveries.Any(d => d.Request.RecordIds.Count == 0);
        var ids = deliveries.SelectMany(d => d.Request.RecordIds).Distinct(StringComparer.Ordinal).ToArray();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var report = wholeFlow
                    ? await host.SyncAsync(flow, null, cancellationToken).ConfigureAwait(false)
                    : await host.SyncIdsAsync(flow, ids, cancellationToken).ConfigureAwait(false);
                if (report.Status == RunStatus.Completed && report.Deferred == 0) return null;
                return report.Message ?? $"The run ended {report.Status} with {report.Deferred} record(s) deferred.";
            }
            catch (StateConflictException e) when (attempt < ConflictRetries)
            {
                log.LogInformation("Flow {Flow}: {Reason}; running again", flow, e.Message);
            }
            catch (StateConflictException e)
            {
                return e.Message;
            }
            catch (ConfigException e)
            {
                return e.Message;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                log.LogError(e, "Flow {Flow}: the run failed", flow);
                return $"{e.GetType().Name}: {e.Message}";
            }
        }
    }
}

using System.Collections.Concurrent;
using Connectors.Core.Queue;

namespace Connectors.Azure.Tests.Queue;

/// <summary>
/// A handler for listener tests: answers each delivery with <c>decide</c>, and records every batch,
/// delivery and poisoned message it sees, so that a test can assert on what the listener did.
/// </summary>
internal sealed class RecordingHandler(Func<SyncDelivery, CancellationToken, Task<DeliveryOutcome>> decide) : ISyncRequestHandler
{
    public ConcurrentQueue<IReadOnlyList<SyncDelivery>> Batches { get; } = new();

    public ConcurrentQueue<SyncDelivery> Deliveries { get; } = new();

    public ConcurrentQueue<PoisonedMessage> Poisoned { get; } = new();

    public static RecordingHandler Succeeding() => new((d, _) => Task.FromResult<DeliveryOutcome>(new DeliveryOutcome.Handled(d.Message.Id)));

    public async Task<IReadOnlyList<DeliveryOutcome>> HandleAsync(IReadOnlyList<SyncDelivery> batch, CancellationToken cancellationToken)
    {
        Batches.Enqueue(batch);
        foreach (var delivery in batch) Deliveries.Enqueue(delivery);
        var outcomes = new List<DeliveryOutcome>(batch.Count);
        foreach (var delivery in batch) outcomes.Add(await decide(delivery, cancellationToken));
        return outcomes;
    }

    public Task OnPoisonedAsync(PoisonedMessage poisoned, CancellationToken cancellationToken)
    {
        Poisoned.Enqueue(poisoned);
        return Task.CompletedTask;
    }
}

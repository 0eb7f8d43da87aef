namespace Connectors.Core.Connectors;

/// <summary>
/// Presents a target's bulk write API as an ordinary <see cref="ITargetConnector"/> whose batches are as
/// large as one bulk job, so that a backfill runs through the very same engine as a sync (mapping,
/// validation, links, dead letters): records not linked yet go in one bulk job per batch, linked ones
/// through the target's ordinary write calls.
/// </summary>
/// <param name="target">The target's ordinary write path.</param>
/// <param name="bulk">The same target's bulk write path.</param>
public sealed class BulkWriteTarget(ITargetConnector target, IBulkTarget bulk) : ITargetConnector
{
    /// <summary>The target's own lookup by a field, when it has one: what an update-only flow finds its records with.</summary>
    public IRecordLookup? Lookup => target as IRecordLookup;

    /// <inheritdoc />
    public int MaxBatchSize(string stream) => bulk.MaxBulkBatchSize(stream);

    /// <inheritdoc />
    public async Task<IReadOnlyList<WriteOutcome>> WriteAsync(string stream, IReadOnlyList<WriteRequest> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var outcomes = new List<WriteOutcome>(batch.Count);
        var linked = batch.Where(r => r.TargetId is not null).ToList();
        var unlinked = batch.Where(r => r.TargetId is null).ToList();
        foreach (var chunk in linked.Chunk(target.MaxBatchSize(stream)))
        {
            outcomes.AddRange(await target.WriteAsync(stream, chunk, cancellationToken).ConfigureAwait(false));
        }
        if (unlinked.Count > 0)
        {
            outcomes.AddRange(await bulk.WriteInBulkAsync(stream, unlinked, cancellationToken).ConfigureAwait(false));
        }
        return outcomes;
    }
}

using System.Runtime.CompilerServices;
using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Record = Connectors.Core.Records.Record;
using Connectors.Core.Sync;

namespace Connectors.TwoWay.Tests;

/// <summary>
/// A real connector with a hook that runs once at a chosen moment of a run, to play a user who edits a
/// record while the run is under way (between our read and our write). Everything else goes straight through.
/// </summary>
internal sealed class HookedSource(ISourceConnector inner, Func<Task> afterRead) : ISourceConnector, IRecordLookup
{
    private int _fired;

    public async IAsyncEnumerable<RecordPage> ReadChangedAsync(string stream, Watermark since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in inner.ReadChangedAsync(stream, since, cancellationToken)) yield return page;
        if (Interlocked.Exchange(ref _fired, 1) == 0) await afterRead();
    }

    public Task<IReadOnlyList<Record>> ReadByIdsAsync(string stream, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        inner.ReadByIdsAsync(stream, ids, cancellationToken);

    public Task<IReadOnlyList<Record>> FindAsync(string stream, string field, IReadOnlyCollection<string> values, CancellationToken cancellationToken) =>
        ((IRecordLookup)inner).FindAsync(stream, field, values, cancellationToken);
}

/// <summary>A real target connector whose first write call is preceded by a hook, or answered for some records by the hook instead.</summary>
internal sealed class HookedTarget(ITargetConnector inner, Func<IReadOnlyList<WriteRequest>, Task<IReadOnlyList<WriteOutcome>>> beforeFirstWrite) : ITargetConnector
{
    private int _fired;

    public int MaxBatchSize(string stream) => inner.MaxBatchSize(stream);

    public async Task<IReadOnlyList<WriteOutcome>> WriteAsync(string stream, IReadOnlyList<WriteRequest> batch, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _fired, 1) != 0) return await inner.WriteAsync(stream, batch, cancellationToken);
        var answered = await beforeFirstWrite(batch);
        var rest = batch.Where(r => answered.All(a => a.Source != r.Source)).ToList();
        var written = rest.Count == 0 ? [] : await inner.WriteAsync(stream, rest, cancellationToken);
        return [.. answered, .. written];
    }

    /// <summary>A hook that only runs <paramref name="action"/> and lets the whole batch through.</summary>
    public static Func<IReadOnlyList<WriteRequest>, Task<IReadOnlyList<WriteOutcome>>> Before(Action action) => _ =>
    {
        action();
        return Task.FromResult<IReadOnlyList<WriteOutcome>>([]);
    };
}

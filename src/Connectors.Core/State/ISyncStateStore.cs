using Connectors.Core.Records;
using Connectors.Core.Sync;

namespace Connectors.Core.State;

/// <summary>
/// Everything a flow remembers between runs. Implementations are durable (a restart loses nothing
/// committed) and safe to call from several runs of different flows at once.
/// </summary>
public interface ISyncStateStore
{
    /// <summary>The flow's watermark; <see cref="Watermark.Start"/> when it never ran.</summary>
    Task<Watermark> GetWatermarkAsync(string flow, CancellationToken cancellationToken);

    /// <summary>The links of the given source ids that exist; ids with no link are absent from the result.</summary>
    Task<IReadOnlyDictionary<string, Link>> GetLinksAsync(string flow, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken);

    /// <summary>
    /// Makes one step of a run durable, all or nothing. A dead letter replaces any earlier one of the
    /// same record in the same flow: the latest reason is the one that matters, and a record that keeps
    /// failing never piles up.
    /// </summary>
    Task CommitAsync(StateCommit commit, CancellationToken cancellationToken);

    /// <summary>Appends a finished run to the history.</summary>
    Task RecordRunAsync(RunRecord run, CancellationToken cancellationToken);

    /// <summary>The most recent runs, newest first.</summary>
    Task<IReadOnlyList<RunRecord>> GetRunsAsync(string? flow, int limit, CancellationToken cancellationToken);

    /// <summary>The dead letters of a flow (or of all flows), oldest first.</summary>
    Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string? flow, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the dead letters of <paramref name="source"/> in <paramref name="flow"/>, as a replay does
    /// once the record is on its way again. Letters of other records, streams and flows stay.
    /// </summary>
    /// <returns>How many dead letters were deleted (0 when there were none).</returns>
    Task<int> DeleteDeadLettersAsync(string flow, RecordKey source, CancellationToken cancellationToken);
}

using Connectors.Core.State;
using Connectors.Core.Sync;
using Connectors.State.Sqlite;

namespace Connectors.Core.Tests.Mapping;

/// <summary>
/// The real embedded state store, in a file of its own that is deleted afterwards, recording every
/// <see cref="GetLinksAsync"/> call so that a test can count the reads a run makes.
/// </summary>
internal sealed class RecordedStateStore : ISyncStateStore, IAsyncDisposable
{
    private readonly SqliteSyncStateStore _inner;
    private readonly string _folder;

    private RecordedStateStore(SqliteSyncStateStore inner, string folder)
    {
        _inner = inner;
        _folder = folder;
    }

    /// <summary>Every <see cref="GetLinksAsync"/> call: the flow and the ids asked for, sorted.</summary>
    public List<(string Flow, string[] Ids)> LinkReads { get; } = [];

    public static async Task<RecordedStateStore> OpenAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "connectors-mapping-tests", Guid.NewGuid().ToString("N"));
        var store = await SqliteSyncStateStore.OpenAsync(new SqliteStateOptions { DatabasePath = Path.Combine(folder, "state.db") }, cancellationToken);
        return new RecordedStateStore(store, folder);
    }

    /// <summary>Stores links as an earlier run of their flow would have.</summary>
    public async Task SeedAsync(IEnumerable<Link> links, CancellationToken cancellationToken)
    {
        foreach (var flow in links.GroupBy(l => l.Flow))
        {
            await _inner.CommitAsync(new StateCommit(flow.Key, [.. flow], [], null), cancellationToken);
        }
    }

    public Task<Watermark> GetWatermarkAsync(string flow, CancellationToken cancellationToken) => _inner.GetWatermarkAsync(flow, cancellationToken);

    public Task<IReadOnlyDictionary<string, Link>> GetLinksAsync(string flow, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken)
    {
        LinkReads.Add((flow, [.. sourceIds.Order(StringComparer.Ordinal)]));
        return _inner.GetLinksAsync(flow, sourceIds, cancellationToken);
    }

    public Task CommitAsync(StateCommit commit, CancellationToken cancellationToken) => _inner.CommitAsync(commit, cancellationToken);

    public Task RecordRunAsync(RunRecord run, CancellationToken cancellationToken) => _inner.RecordRunAsync(run, cancellationToken);

    public Task<IReadOnlyList<RunRecord>> GetRunsAsync(string? flow, int limit, CancellationToken cancellationToken) =>
        _inner.GetRunsAsync(flow, limit, cancellationToken);

    public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string? flow, CancellationToken cancellationToken) =>
        _inner.GetDeadLettersAsync(flow, cancellationToken);

    public Task<int> DeleteDeadLettersAsync(string flow, global::Connectors.Core.Records.RecordKey source, CancellationToken cancellationToken) =>
        _inner.DeleteDeadLettersAsync(flow, source, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

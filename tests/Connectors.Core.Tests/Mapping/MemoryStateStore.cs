using Connectors.Core.State;
using Connectors.Core.Sync;

namespace Connectors.Core.Tests.Mapping;

/// <summary>A state store in memory that also counts how often links are read, per flow.</summary>
internal sealed class MemoryStateStore : ISyncStateStore
{
    private readonly Dictionary<string, Dictionary<string, Link>> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Watermark> _watermarks = new(StringComparer.Ordinal);
    private readonly List<DeadLetter> _deadLetters = [];
    private readonly List<RunRecord> _runs = [];

    /// <summary>Every <see cref="GetLinksAsync"/> call: the flow and the ids asked for.</summary>
    public List<(string Flow, string[] Ids)> LinkReads { get; } = [];

    public void AddLink(Link link)
    {
        if (!_links.TryGetValue(link.Flow, out var links)) _links[link.Flow] = links = new(StringComparer.Ordinal);
        links[link.SourceId] = link;
    }

    public Task<Watermark> GetWatermarkAsync(string flow, CancellationToken cancellationToken) =>
        Task.FromResult(_watermarks.GetValueOrDefault(flow, Watermark.Start));

    public Task<IReadOnlyDictionary<string, Link>> GetLinksAsync(string flow, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken)
    {
        LinkReads.Add((flow, [.. sourceIds.Order(StringComparer.Ordinal)]));
        var found = new Dictionary<string, Link>(StringComparer.Ordinal);
        if (_links.TryGetValue(flow, out var links))
        {
            foreach (var id in sourceIds)
            {
                if (links.TryGetValue(id, out var link)) found[id] = link;
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, Link>>(found);
    }

    public Task CommitAsync(StateCommit commit, CancellationToken cancellationToken)
    {
        foreach (var link in commit.Links) AddLink(link);
        _deadLetters.AddRange(commit.DeadLetters);
        if (commit.Watermark is not null) _watermarks[commit.Flow] = commit.Watermark;
        return Task.CompletedTask;
    }

    public Task RecordRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        _runs.Insert(0, run);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunRecord>> GetRunsAsync(string? flow, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RunRecord>>([.. _runs.Where(r => flow is null || r.Flow == flow).Take(limit)]);

    public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string? flow, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DeadLetter>>([.. _deadLetters.Where(d => flow is null || d.Flow == flow)]);
}

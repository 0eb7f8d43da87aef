using Connectors.Core.Records;

namespace Connectors.Core.Sync.TwoWay;

/// <summary>
/// The records one side changed since its watermark, as read in one run, and the pages they came in,
/// so that the side's watermark can move exactly as far as the records that are resolved allow.
/// </summary>
internal sealed class SideChanges(Watermark since)
{
    private readonly List<(Watermark? Checkpoint, string[] Ids)> _pages = [];

    /// <summary>The watermark the side was read from.</summary>
    public Watermark Since { get; } = since;

    /// <summary>The records by id; a record read twice (it changed while we paged) keeps its later version.</summary>
    public Dictionary<string, Record> Records { get; } = new(StringComparer.Ordinal);

    /// <summary>How many records were read, repeats included.</summary>
    public long Read { get; private set; }

    public void Add(RecordPage page)
    {
        foreach (var record in page.Records)
        {
            Read++;
            if (!Records.TryGetValue(record.Key.Id, out var earlier) || record.Modified >= earlier.Modified) Records[record.Key.Id] = record;
        }
        _pages.Add((page.Checkpoint, [.. page.Records.Select(r => r.Key.Id)]));
    }

    /// <summary>
    /// The side's new watermark: the last checkpoint before the first page holding an unresolved record
    /// (every record of the pages up to it is resolved), never earlier than <see cref="Since"/>; or
    /// <see langword="null"/> when it does not move. Only stamps the vendor gave us: never our clock.
    /// </summary>
    public Watermark? Advance(IReadOnlySet<string> unresolved)
    {
        Watermark? reached = null;
        foreach (var (checkpoint, ids) in _pages)
        {
            if (ids.Any(unresolved.Contains)) break;
            if (checkpoint is not null) reached = checkpoint;
        }
        if (reached is null) return null;
        var next = Since.Max(reached);
        return next == Since ? null : next;
    }
}

namespace Connectors.Core.Sync.TwoWay;

/// <summary>The running counts of one two-way pass; see <see cref="TwoWayReport"/> for what each means.</summary>
internal sealed class TwoWayCounts
{
    public long ReadLeft { get; set; }

    public long ReadRight { get; set; }

    public long CreatedLeft { get; set; }

    public long CreatedRight { get; set; }

    public long UpdatedLeft { get; set; }

    public long UpdatedRight { get; set; }

    public long Unchanged { get; set; }

    public long Matched { get; set; }

    public long Conflicts { get; set; }

    public long Resolved { get; set; }

    public long Duplicates { get; set; }

    public long Orphans { get; set; }

    public long Remerged { get; set; }

    public long Failed { get; set; }

    public long Deferred { get; set; }

    public SyncProgress Progress => new(ReadLeft + ReadRight, CreatedLeft + CreatedRight + UpdatedLeft + UpdatedRight, Unchanged, Failed);
}

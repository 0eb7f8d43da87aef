namespace Connectors.Core.Sync;

/// <summary>
/// How far a flow has read its source: every record modified at or before <see cref="Modified"/>
/// has been durably handled (written, skipped or dead-lettered).
/// </summary>
/// <param name="Modified">The source's own modification stamp of the last handled record; <see langword="null"/> before the first run.</param>
public sealed record Watermark(DateTimeOffset? Modified)
{
    /// <summary>The watermark of a flow that has never run: read everything.</summary>
    public static Watermark Start { get; } = new((DateTimeOffset?)null);

    /// <summary>The later of two watermarks.</summary>
    public Watermark Max(Watermark other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Modified is null) return this;
        if (Modified is null) return other;
        return other.Modified > Modified ? other : this;
    }
}

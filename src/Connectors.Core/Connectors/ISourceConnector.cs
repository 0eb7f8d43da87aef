using Connectors.Core.Records;
using Connectors.Core.Sync;

namespace Connectors.Core.Connectors;

/// <summary>A system that records are read from.</summary>
public interface ISourceConnector
{
    /// <summary>
    /// Streams the records of <paramref name="stream"/> modified at or after <paramref name="since"/>,
    /// a page at a time. Memory is bounded by a page, never by the size of the vendor's data.
    /// </summary>
    /// <param name="stream">The stream's name within this system, for example <c>customers</c>.</param>
    /// <param name="since">Where the last run stopped; <see cref="Watermark.Start"/> reads everything.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<RecordPage> ReadChangedAsync(string stream, Watermark since, CancellationToken cancellationToken);

    /// <summary>Reads the current version of the named records; ids the vendor no longer has are left out.</summary>
    Task<IReadOnlyList<Record>> ReadByIdsAsync(string stream, IReadOnlyList<string> ids, CancellationToken cancellationToken);
}

namespace Connectors.Core.Connectors;

/// <summary>A system that lists the records deleted from a stream (a recycle bin API). Optional: without it, deletes are found by key-set difference.</summary>
public interface IDeletedRecordSource
{
    /// <summary>The ids of records deleted from <paramref name="stream"/> that the vendor still remembers, a page at a time.</summary>
    /// <exception cref="ConnectorException">The listing failed as a whole.</exception>
    IAsyncEnumerable<IReadOnlyList<string>> ReadDeletedIdsAsync(string stream, CancellationToken cancellationToken);
}

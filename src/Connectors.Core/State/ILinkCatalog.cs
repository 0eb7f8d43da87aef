namespace Connectors.Core.State;

/// <summary>
/// A state store that can list every link of a flow and forget links, which reconciliation needs: to
/// find target records whose source was deleted, links whose records are both gone, and to drop the
/// links of records it deleted or found gone.
/// </summary>
public interface ILinkCatalog
{
    /// <summary>Every link of <paramref name="flow"/>, in pages of at most <paramref name="pageSize"/>, in no promised order.</summary>
    IAsyncEnumerable<IReadOnlyList<Link>> ReadLinksAsync(string flow, int pageSize, CancellationToken cancellationToken);

    /// <summary>Forgets the links of the given source ids in <paramref name="flow"/>; ids without a link are ignored.</summary>
    Task RemoveLinksAsync(string flow, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken);
}

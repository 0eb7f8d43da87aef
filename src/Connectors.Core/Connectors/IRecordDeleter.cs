namespace Connectors.Core.Connectors;

/// <summary>A system records can be deleted from. Optional: reconciliation deletes only through it.</summary>
public interface IRecordDeleter
{
    /// <summary>
    /// Deletes the named records of <paramref name="stream"/> in as few calls as the vendor allows and
    /// returns one outcome per id. An id the vendor refuses is an outcome, not an exception.
    /// </summary>
    /// <exception cref="ConnectorException">A call failed as a whole.</exception>
    Task<IReadOnlyList<DeleteOutcome>> DeleteAsync(string stream, IReadOnlyList<string> ids, CancellationToken cancellationToken);
}

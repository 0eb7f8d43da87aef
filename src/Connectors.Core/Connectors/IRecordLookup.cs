using Connectors.Core.Records;

namespace Connectors.Core.Connectors;

/// <summary>
/// A system that can find records by the value of a field, so that a record not linked yet can be
/// matched with its twin instead of being created a second time. Optional: a connector without it is
/// matched only against the records read in the same run.
/// </summary>
public interface IRecordLookup
{
    /// <summary>
    /// The records of <paramref name="stream"/> whose <paramref name="field"/> equals one of
    /// <paramref name="values"/>, as the vendor compares them (some ignore case, some do not): callers
    /// normalize the values of what comes back and keep what matches. Reads the current version,
    /// never a cached one, so that a record created a moment ago is found.
    /// </summary>
    /// <param name="stream">The stream's name within this system.</param>
    /// <param name="field">The field to compare, in this system's own field names.</param>
    /// <param name="values">The values to look for; duplicates and empty values are ignored.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <exception cref="ConnectorException">The lookup failed as a whole.</exception>
    Task<IReadOnlyList<Record>> FindAsync(string stream, string field, IReadOnlyCollection<string> values, CancellationToken cancellationToken);
}

using Connectors.Core.Schema;

namespace Connectors.Core.Connectors;

/// <summary>
/// A connector that can say what its streams hold, so that a config is checked before anything runs
/// (<c>connectors validate</c>). Optional: a connector without it is used unchecked.
/// </summary>
public interface IDescribeStreams
{
    /// <summary>The schemas shipped with the connector: checked against when the system cannot be asked. Costs no call.</summary>
    IReadOnlyList<StreamSchema> BuiltInStreams { get; }

    /// <summary>Whether <see cref="DescribeLiveAsync"/> asks the system itself (a metadata API) rather than answering from <see cref="BuiltInStreams"/>.</summary>
    bool DescribesLive { get; }

    /// <summary>
    /// The stream as the system describes it now (custom fields, this org's picklist values and
    /// mandatory fields included); <see langword="null"/> when the system has no such stream.
    /// </summary>
    /// <exception cref="ConnectorException">The system could not be asked (unreachable, refused the credentials).</exception>
    Task<StreamSchema?> DescribeLiveAsync(string stream, CancellationToken cancellationToken);
}

namespace Connectors.Core.Connectors;

/// <summary>A system that records are written to.</summary>
public interface ITargetConnector
{
    /// <summary>The most records the vendor accepts in one write call to <paramref name="stream"/>.</summary>
    int MaxBatchSize(string stream);

    /// <summary>
    /// Writes a batch in as few calls as the vendor allows and returns exactly one outcome per request,
    /// in any order. A record the vendor refuses is a <see cref="WriteOutcome.Rejected"/>, not an exception;
    /// an exception means the whole call could not be made (see <see cref="ConnectorException"/>).
    /// </summary>
    Task<IReadOnlyList<WriteOutcome>> WriteAsync(string stream, IReadOnlyList<WriteRequest> batch, CancellationToken cancellationToken);
}

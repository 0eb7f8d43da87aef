namespace Connectors.Core.Connectors;

/// <summary>
/// A system with an asynchronous import API (a bulk write: upload a file, create a job, poll it, read
/// the per-record result), for loads far larger than its ordinary write calls take. Optional; use it
/// through <see cref="BulkWriteTarget"/>, which lets the sync engine write through it.
/// </summary>
public interface IBulkTarget
{
    /// <summary>The most records one bulk job (one uploaded file) takes in <paramref name="stream"/>.</summary>
    int MaxBulkBatchSize(string stream);

    /// <summary>
    /// Creates or updates the records of <paramref name="batch"/> by their match fields in one bulk job
    /// and returns exactly one outcome per request. Requests must not carry a target id.
    /// </summary>
    /// <exception cref="ConnectorException">The job could not be created, failed as a whole, or did not finish in time.</exception>
    Task<IReadOnlyList<WriteOutcome>> WriteInBulkAsync(string stream, IReadOnlyList<WriteRequest> batch, CancellationToken cancellationToken);
}

using Connectors.Core.Records;

namespace Connectors.Core.Connectors;

/// <summary>
/// A system with an asynchronous export API for whole streams (a bulk read: create a job, poll it,
/// download the result), which reads far more records per call than paging does. Optional.
/// </summary>
public interface IBulkSource
{
    /// <summary>How many records <paramref name="stream"/> holds now, so that a run can choose between paging and a bulk read.</summary>
    /// <exception cref="ConnectorException">The count failed as a whole.</exception>
    Task<long> CountAsync(string stream, CancellationToken cancellationToken);

    /// <summary>
    /// Streams every record of <paramref name="stream"/> through bulk read jobs, a result page at a time
    /// (each page as large as the vendor's job result, read from the downloaded file without holding it
    /// whole). Pages carry no checkpoint: they are not in modification order.
    /// </summary>
    /// <exception cref="ConnectorException">A job failed or could not be created.</exception>
    IAsyncEnumerable<RecordPage> ReadAllInBulkAsync(string stream, CancellationToken cancellationToken);
}

using Connectors.Core.Connectors;

namespace Connectors.Core.Tests.Mapping;

/// <summary>A target that stores every request it receives and creates each record.</summary>
internal sealed class RecordingTarget : ITargetConnector
{
    public List<WriteRequest> Written { get; } = [];

    public int MaxBatchSize(string stream) => 100;

    public Task<IReadOnlyList<WriteOutcome>> WriteAsync(string stream, IReadOnlyList<WriteRequest> batch, CancellationToken cancellationToken)
    {
        Written.AddRange(batch);
        return Task.FromResult<IReadOnlyList<WriteOutcome>>([.. batch.Select(r => new WriteOutcome.Written(r.Source, "t-" + r.Source.Id, true))]);
    }
}

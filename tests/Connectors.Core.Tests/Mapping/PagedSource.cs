using System.Runtime.CompilerServices;
using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Record = Connectors.Core.Records.Record;
using Connectors.Core.Sync;

namespace Connectors.Core.Tests.Mapping;

/// <summary>A source that serves fixed pages of records.</summary>
internal sealed class PagedSource(params RecordPage[] pages) : ISourceConnector
{
    public async IAsyncEnumerable<RecordPage> ReadChangedAsync(string stream, Watermark since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var page in pages)
        {
            await Task.Yield();
            yield return page;
        }
    }

    public Task<IReadOnlyList<Record>> ReadByIdsAsync(string stream, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Record>>([.. pages.SelectMany(p => p.Records).Where(r => ids.Contains(r.Key.Id))]);
}

using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Connectors.Core.Reconciliation;

/// <summary>
/// Reads the next pages of a stream while the caller works on the current one: a bulk file is parsed on one
/// core while the page before it is mapped and stored on the other, instead of one after the other.
/// </summary>
internal static class ReadAhead
{
    /// <summary>
    /// The items of <paramref name="source"/>, with up to <paramref name="depth"/> of them read before they are asked for.
    /// A failure of the source is thrown where the caller would have met it, after the items read before it.
    /// </summary>
    public static async IAsyncEnumerable<T> Of<T>(IAsyncEnumerable<T> source, int depth, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = Channel.CreateBounded<T>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ExceptionDispatchInfo? failure = null;
        var reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var page in source.WithCancellation(stop.Token).ConfigureAwait(false))
                {
                    await pages.Writer.WriteAsync(page, stop.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                pages.Writer.Complete();
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var page in pages.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return page;
            }
        }
        finally
        {
            // The caller stopped early (or failed): the reader must not go on alone.
            await stop.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }
        failure?.Throw();
    }
}

using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Connectors.Functions.Protocol;

/// <summary>Reads a request body up to a limit and no further, so that an oversized request costs at most the limit in memory.</summary>
internal static class BoundedBody
{
    /// <summary>The body's bytes, or <see langword="null"/> when it is longer than <paramref name="limit"/> (then it is not read to the end).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared)
        {
            if (declared > limit) return null;
            // The server holds the body to its declared length: read straight into an array of that size.
            var exact = new byte[declared];
            var filled = 0;
            int got;
            while (filled < exact.Length && (got = await request.Body.ReadAsync(exact.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0) filled += got;
            return filled == exact.Length ? exact : exact[..filled];
        }
        using var body = new MemoryStream(Math.Min(4096, limit));
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > limit) return null;
                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return body.ToArray();
    }
}

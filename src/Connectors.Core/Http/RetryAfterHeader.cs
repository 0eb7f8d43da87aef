using System.Net.Http.Headers;

namespace Connectors.Core.Http;

/// <summary>Reads the wait a vendor asks for in a response's <c>Retry-After</c> header, the same way for every connector.</summary>
public static class RetryAfterHeader
{
    /// <summary>The wait <paramref name="headers"/> ask for: seconds, or a date against the response's own <c>Date</c>; <see langword="null"/> when none.</summary>
    public static TimeSpan? Of(HttpResponseHeaders? headers)
    {
        var header = headers?.RetryAfter;
        if (header is null) return null;
        if (header.Delta is { } delta) return delta;
        // An absolute Retry-After is only meaningful against the server's own Date header.
        return header.Date is { } date && headers!.Date is { } sent ? date - sent : null;
    }
}

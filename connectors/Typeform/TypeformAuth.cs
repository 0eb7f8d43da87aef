using System.Net.Http.Headers;

namespace Connectors.Typeform;

/// <summary>
/// Adds the personal access token (or OAuth token) to every request as <c>Authorization: Bearer …</c>. The token
/// lives only here and in the outgoing header; nothing here logs or echoes it.
/// </summary>
internal sealed class TypeformAuth(string accessToken) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Retries pass through here again; the header is set, not appended.
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return base.SendAsync(request, cancellationToken);
    }
}

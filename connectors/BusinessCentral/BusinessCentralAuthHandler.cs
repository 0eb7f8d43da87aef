using System.Net;
using System.Net.Http.Headers;

namespace Connectors.BusinessCentral;

/// <summary>
/// Puts the system's bearer token on every API request. When the API answers 401 anyway (a token revoked
/// or expired early), it replaces the token once and replays the request; a second 401 goes back to the caller.
/// </summary>
internal sealed class BusinessCentralAuthHandler(BusinessCentralAuth auth) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await auth.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;

        response.Dispose();
        token = await auth.RefreshAsync(token, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

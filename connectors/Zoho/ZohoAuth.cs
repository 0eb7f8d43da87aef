using System.Net;
using System.Net.Http.Headers;
using Connectors.Core.Connectors;
using Newtonsoft.Json.Linq;

namespace Connectors.Zoho;

/// <summary>
/// The authentication step of every Zoho CRM call: sends <c>Authorization: Zoho-oauthtoken …</c>, and
/// when Zoho answers 401 <c>INVALID_TOKEN</c> or <c>AUTHENTICATION_FAILURE</c> (a token that expired
/// early or was revoked) renews the token once and replays the call once. A scope mismatch or a second
/// refusal cannot be fixed by retrying and fails the call as <see cref="ConnectorErrorCode.AuthenticationFailed"/>.
/// </summary>
/// <param name="system">The system's name in the config, used in error messages.</param>
/// <param name="tokens">The system's token source.</param>
public sealed class ZohoAuth(string system, ZohoTokenSource tokens) : DelegatingHandler
{
    /// <summary>The authorization scheme Zoho wants instead of <c>Bearer</c>.</summary>
    public const string Scheme = "Zoho-oauthtoken";

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = await tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue(Scheme, token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;

        var code = await ErrorCodeAsync(response, cancellationToken).ConfigureAwait(false);
        if (code is not ("INVALID_TOKEN" or "AUTHENTICATION_FAILURE"))
        {
            response.Dispose();
            throw Refused(code, afterRefresh: false);
        }
        response.Dispose();
        token = await tokens.RenewAsync(token, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue(Scheme, token);
        response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;

        code = await ErrorCodeAsync(response, cancellationToken).ConfigureAwait(false);
        response.Dispose();
        throw Refused(code, afterRefresh: true);
    }

    private ConnectorException Refused(string? code, bool afterRefresh) => new(system, ConnectorErrorCode.AuthenticationFailed,
        code == "OAUTH_SCOPE_MISMATCH"
            ? "Zoho refused the call: the OAuth grant lacks a scope this call needs (OAUTH_SCOPE_MISMATCH); re-authorise with the required scopes."
            : afterRefresh
                ? $"Zoho refused a freshly issued access token ({code ?? "no error code"}); re-authorise the connection."
                : $"Zoho refused the call as unauthorised ({code ?? "no error code"}); re-authorise the connection.",
        code);

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var code = ZohoJson.Parse(body).Value<string>("code");
            // Only a plain vendor code is kept: it goes into messages and must not echo anything else.
            return code is { Length: <= 40 } && code.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? code : null;
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }
}

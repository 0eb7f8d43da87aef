using Refit;

namespace Connectors.Zoho;

/// <summary>Zoho Accounts, the OAuth server of the data centre (shared reference zoho-crm.md §1).</summary>
public interface IZohoAccountsApi
{
    /// <summary>
    /// Mints an access token from a refresh token. The grant's fields
    /// (<c>grant_type=refresh_token</c>, <c>client_id</c>, <c>client_secret</c>, <c>refresh_token</c>)
    /// travel in a form body rather than the query string Zoho's examples use, so that the client
    /// secret never lands in an access log or an HTTP client's request-URI log line.
    /// </summary>
    /// <param name="grant">The form fields of the grant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/oauth/v2/token")]
    Task<IApiResponse<ZohoTokenResponse>> RequestTokenAsync(
        [Body(BodySerializationMethod.UrlEncoded)] IDictionary<string, string> grant,
        CancellationToken cancellationToken);
}

namespace Connectors.Shopify;

/// <summary>
/// Adds the store's Admin API access token to every request as <c>X-Shopify-Access-Token</c>. The token
/// lives only in this handler and in the outgoing header; nothing here logs or echoes it.
/// </summary>
internal sealed class ShopifyAuth(string accessToken) : DelegatingHandler
{
    /// <summary>The header Shopify reads the Admin API token from.</summary>
    public const string AccessTokenHeader = "X-Shopify-Access-Token";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Retries go through this handler again, so the header is replaced rather than appended.
        request.Headers.Remove(AccessTokenHeader);
        request.Headers.TryAddWithoutValidation(AccessTokenHeader, accessToken);
        return base.SendAsync(request, cancellationToken);
    }
}

using System.Net.Http.Headers;
using System.Text;

namespace Connectors.WooCommerce;

/// <summary>
/// Adds the REST API key to every request as HTTP Basic auth, consumer key as the user name and consumer secret as
/// the password, as WooCommerce takes it over HTTPS. The key lives only here and in the outgoing header; nothing
/// here logs or echoes it.
/// </summary>
internal sealed class WooCommerceAuth(string consumerKey, string consumerSecret) : DelegatingHandler
{
    private readonly string _credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{consumerKey}:{consumerSecret}"));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Retries pass through here again; the header is set, not appended.
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _credentials);
        return base.SendAsync(request, cancellationToken);
    }
}

using Refit;

namespace Connectors.BusinessCentral;

/// <summary>The Entra ID v2.0 token endpoint, relative to <see cref="BusinessCentralOptions.EffectiveTokenEndpoint"/>.</summary>
public interface IBusinessCentralTokenApi
{
    /// <summary>
    /// Requests a token with the client-credentials grant: a form body of <c>grant_type=client_credentials</c>,
    /// <c>client_id</c>, <c>client_secret</c> and <c>scope</c>. The secret travels only in this body.
    /// </summary>
    /// <param name="grant">The form fields of the grant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("")]
    Task<IApiResponse<BusinessCentralToken>> RequestTokenAsync(
        [Body(BodySerializationMethod.UrlEncoded)] IDictionary<string, string> grant, CancellationToken cancellationToken);
}

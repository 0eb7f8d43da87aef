using System.Net;
using Connectors.Core.Connectors;
using Connectors.Core.Http;
using Newtonsoft.Json;
using Refit;

namespace Connectors.BusinessCentral;

/// <summary>
/// Holds one system's Entra ID token (client-credentials grant) and replaces it shortly before it expires,
/// by the injected clock. However many calls need a token at once, only one asks Entra for it.
/// One instance per system, shared by every HTTP handler of that system's client.
/// </summary>
public sealed class BusinessCentralAuth
{
    private readonly string _system;
    private readonly IBusinessCentralTokenApi _tokens;
    private readonly BusinessCentralOptions _options;
    private readonly AccessTokenCache _cache;

    /// <summary>Creates the token holder of <paramref name="system"/>.</summary>
    /// <param name="system">The system's name in the config; it prefixes error messages.</param>
    /// <param name="tokens">The token endpoint.</param>
    /// <param name="options">The validated options (client id, secret, scope, refresh margin).</param>
    /// <param name="clock">The clock token lifetimes are measured on.</param>
    public BusinessCentralAuth(string system, IBusinessCentralTokenApi tokens, BusinessCentralOptions options, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrEmpty(system);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _system = system;
        _tokens = tokens;
        _options = options;
        _cache = new AccessTokenCache(RequestAsync, options.TokenRefreshMargin, clock);
    }

    /// <summary>A token that is good for at least the refresh margin; fetched only when the cached one is not.</summary>
    /// <param name="cancellationToken">Cancels the wait and the fetch.</param>
    /// <exception cref="ConnectorException">Entra refused the credentials or could not be reached.</exception>
    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => _cache.GetAsync(cancellationToken);

    /// <summary>
    /// Replaces <paramref name="rejected"/> (a token the API refused) with a new one, unless another caller
    /// has already replaced it; then that one is returned.
    /// </summary>
    /// <param name="rejected">The token the caller holds and no longer trusts.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="ConnectorException">Entra refused the credentials or could not be reached.</exception>
    public Task<string> RefreshAsync(string rejected, CancellationToken cancellationToken) => _cache.RenewAsync(rejected, cancellationToken);

    private async Task<AccessToken> RequestAsync(CancellationToken cancellationToken)
    {
        var grant = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = _options.ClientId,
            ["client_secret"] = _options.ClientSecret,
            ["scope"] = _options.Scope,
        };
        IApiResponse<BusinessCentralToken> response;
        try
        {
            response = await BusinessCentralFailures.ReceivedAsync(_tokens.RequestTokenAsync(grant, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception e) when (BusinessCentralFailures.IsUnreachable(e))
        {
            // The inner exception is left out on purpose: only its type is useful, and nothing of the request may leak.
            throw new ConnectorException(_system, ConnectorErrorCode.Unavailable,
                $"the token endpoint could not be reached ({e.GetType().Name}).");
        }
        using (response)
        {
            if (response.IsSuccessStatusCode && response.Content is { AccessToken.Length: > 0, ExpiresIn: > 0 } token)
            {
                return new AccessToken(token.AccessToken, TimeSpan.FromSeconds(token.ExpiresIn));
            }
            if (response.IsSuccessStatusCode)
            {
                throw new ConnectorException(_system, ConnectorErrorCode.UnexpectedResponse,
                    "the token endpoint answered without an access token or lifetime.");
            }
            var error = ReadError(BusinessCentralFailures.Body(response));
            var status = response.StatusCode.GetValueOrDefault();
            throw status switch
            {
                HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                    new ConnectorException(_system, ConnectorErrorCode.AuthenticationFailed,
                        $"Entra ID refused the client credentials ({error?.Error ?? $"HTTP {(int)status}"}): {error?.Description ?? "no description"}",
                        error?.Error),
                HttpStatusCode.TooManyRequests =>
                    new ConnectorException(_system, ConnectorErrorCode.Throttled, "the token endpoint throttled the token request.",
                        error?.Error, RetryAfterHeader.Of(response.Headers)),
                _ => new ConnectorException(_system, ConnectorErrorCode.Unavailable,
                    $"the token endpoint answered {(int)status}.", error?.Error),
            };
        }
    }

    private static BusinessCentralTokenError? ReadError(string? content)
    {
        if (string.IsNullOrWhiteSpace(content)) return null;
        try
        {
            return JsonConvert.DeserializeObject<BusinessCentralTokenError>(content);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using Connectors.Core.Connectors;
using Connectors.Core.Http;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace Connectors.Zoho;

/// <summary>
/// The access token of one Zoho system. It is cached until <see cref="RefreshAhead"/> before it expires
/// on the injected clock, and refreshed by one request at a time however many callers need a new one:
/// Zoho lets one refresh token mint only 10 access tokens in 10 minutes, so a stampede of refreshes
/// would lock the integration out (shared reference zoho-crm.md §1.2).
/// </summary>
public sealed class ZohoTokenSource
{
    /// <summary>How long before its expiry a cached token is replaced.</summary>
    public static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(5);

    private readonly string _system;
    private readonly IZohoAccountsApi _accounts;
    private readonly ZohoOptions _options;
    private readonly AccessTokenCache _cache;

    /// <summary>Creates the token source of <paramref name="system"/>.</summary>
    /// <param name="system">The system's name in the config, used in error messages.</param>
    /// <param name="accounts">The Zoho Accounts client of the system's data centre.</param>
    /// <param name="options">The system's options (client id, secret, refresh token).</param>
    /// <param name="clock">The clock token expiry is measured on.</param>
    public ZohoTokenSource(string system, IZohoAccountsApi accounts, ZohoOptions options, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrEmpty(system);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _system = system;
        _accounts = accounts;
        _options = options;
        _cache = new AccessTokenCache(RequestAsync, RefreshAhead, clock);
    }

    /// <summary>The current access token, refreshed first when it is missing or about to expire.</summary>
    /// <exception cref="ConnectorException">The refresh failed (<see cref="ConnectorErrorCode.AuthenticationFailed"/> when Zoho refused it).</exception>
    public ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken) => _cache.GetAsync(cancellationToken);

    /// <summary>
    /// Zoho refused <paramref name="rejected"/> (it expired early or was revoked): returns a newer token,
    /// refreshing only if no other caller has already replaced it.
    /// </summary>
    /// <exception cref="ConnectorException">The refresh failed.</exception>
    public Task<string> RenewAsync(string rejected, CancellationToken cancellationToken) => _cache.RenewAsync(rejected, cancellationToken);

    private async Task<AccessToken> RequestAsync(CancellationToken cancellationToken)
    {
        var grant = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = _options.ClientId,
            ["client_secret"] = _options.ClientSecret,
            ["refresh_token"] = _options.RefreshToken,
        };
        IApiResponse<ZohoTokenResponse> response;
        try
        {
            response = await _accounts.RequestTokenAsync(grant, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or ApiRequestException)
        {
            throw Unreachable(e);
        }
        using (response)
        {
            if (response.HasRequestError(out var requestError))
            {
                throw Unreachable(requestError.InnerException ?? requestError);
            }
            var status = response.StatusCode is { } statusCode ? (int)statusCode : 0;
            if (status == 429 || status >= 500)
            {
                throw new ConnectorException(_system, status == 429 ? ConnectorErrorCode.Throttled : ConnectorErrorCode.Unavailable,
                    $"Zoho Accounts answered {status} to the token refresh.");
            }
            var token = response.Content;
            if (!response.IsSuccessStatusCode || token is null || token.Error is not null || string.IsNullOrEmpty(token.AccessToken))
            {
                // Zoho reports a refused grant with an error code (often with HTTP 200): invalid_code for
                // a revoked or wrong refresh token, invalid_client for a wrong client id or secret.
                var reason = token?.Error ?? $"HTTP {status}";
                throw new ConnectorException(_system, ConnectorErrorCode.AuthenticationFailed,
                    $"Zoho Accounts refused the refresh-token grant ({Printable(reason)}); re-authorise the connection.", Printable(reason));
            }
            return new AccessToken(token.AccessToken, TimeSpan.FromSeconds(token.ExpiresIn > 0 ? token.ExpiresIn : 3600));
        }
    }

    private ConnectorException Unreachable(Exception cause) =>
        new(_system, ConnectorErrorCode.Unavailable, "Zoho Accounts could not be reached to refresh the access token.",
            innerException: cause as ConnectorException ?? (cause is ApiExceptionBase ? null : cause));

    // A vendor error code is short and plain; anything else is cut so that no echoed input reaches a message.
    private static string Printable(string code) =>
        code.Length <= 40 && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or ' ') ? code : "unreadable error";
}

namespace Connectors.Core.Http;

/// <summary>
/// One system's access token: cached until a margin before it expires on the injected clock, and
/// fetched by one request at a time however many callers need a new one. Vendors limit how often a
/// token may be minted (Zoho: 10 in 10 minutes per refresh token), so a stampede of refreshes after
/// an expiry would lock the integration out.
/// </summary>
public sealed class AccessTokenCache
{
    private readonly Func<CancellationToken, Task<AccessToken>> _fetch;
    private readonly TimeSpan _margin;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private Cached? _current;
    private Task<Cached>? _fetching;

    /// <summary>Creates the cache.</summary>
    /// <param name="fetch">Asks the vendor for a new token; throws a <c>ConnectorException</c> when it cannot.</param>
    /// <param name="refreshMargin">How long before expiry a token is replaced; capped at half its lifetime.</param>
    /// <param name="clock">The clock lifetimes are measured on.</param>
    public AccessTokenCache(Func<CancellationToken, Task<AccessToken>> fetch, TimeSpan refreshMargin, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(clock);
        _fetch = fetch;
        _margin = refreshMargin;
        _clock = clock;
    }

    /// <summary>A token good for at least the margin; fetched only when the cached one is not.</summary>
    public ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        return current is not null && IsFresh(current)
            ? ValueTask.FromResult(current.Value)
            : new ValueTask<string>(ReplaceAsync(current?.Value, cancellationToken));
    }

    /// <summary>
    /// The vendor refused <paramref name="rejected"/> (expired early, revoked): returns a newer token,
    /// fetching one only if no other caller has already replaced it.
    /// </summary>
    public Task<string> RenewAsync(string rejected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        return ReplaceAsync(rejected, cancellationToken);
    }

    private async Task<string> ReplaceAsync(string? stale, CancellationToken cancellationToken)
    {
        Task<Cached> fetching;
        lock (_gate)
        {
            var current = _current;
            if (current is not null && current.Value != stale && IsFresh(current)) return current.Value;
            // Everyone who arrives while a fetch is in flight waits for that one; a failed fetch fails
            // all of them at once instead of each trying again in turn.
            if (_fetching is null || _fetching.IsCompleted)
            {
                _fetching = Task.Run(FetchAsync, CancellationToken.None);
            }
            fetching = _fetching;
        }
        var fetched = await fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        return fetched.Value;
    }

    // Not cancelled by any one caller: the others are still waiting for it.
    private async Task<Cached> FetchAsync()
    {
        var token = await _fetch(CancellationToken.None).ConfigureAwait(false);
        var margin = _margin < token.Lifetime / 2 ? _margin : token.Lifetime / 2;
        var cached = new Cached(token.Value, _clock.GetUtcNow() + token.Lifetime - margin);
        Volatile.Write(ref _current, cached);
        return cached;
    }

    private bool IsFresh(Cached token) => _clock.GetUtcNow() < token.RefreshAt;

    private sealed record Cached(string Value, DateTimeOffset RefreshAt);
}

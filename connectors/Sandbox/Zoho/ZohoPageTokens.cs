namespace Connectors.Sandbox.Zoho;

/// <summary>
/// The page tokens the sandbox hands out in <c>info.next_page_token</c>: each remembers where the next
/// page starts and the query it belongs to, and stops working 24 hours after it was issued.
/// </summary>
internal sealed class ZohoPageTokens(TimeProvider clock, Random random)
{
    /// <summary>How long a page token works.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public (string Token, DateTimeOffset Expires) Issue(int offset, string query)
    {
        var bytes = new byte[24];
        lock (_gate)
        {
            random.NextBytes(bytes);
            var token = Convert.ToHexStringLower(bytes);
            var expires = clock.GetUtcNow() + Lifetime;
            _entries[token] = new Entry(offset, query, expires);
            return (token, expires);
        }
    }

    public Entry? Find(string token)
    {
        lock (_gate) return _entries.GetValueOrDefault(token);
    }

    public bool HasExpired(Entry entry) => entry.Expires <= clock.GetUtcNow();

    public sealed record Entry(int Offset, string Query, DateTimeOffset Expires);
}

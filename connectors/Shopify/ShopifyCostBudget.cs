namespace Connectors.Shopify;

/// <summary>
/// What the connector knows of the app's leaky cost bucket on one store: the last throttle status
/// Shopify reported, extrapolated with its restore rate on the injected clock. The bucket is per app and
/// store, so one budget is shared by every read of a connector.
/// </summary>
internal sealed class ShopifyCostBudget(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, double> _requestedByQuery = new(StringComparer.Ordinal);
    private ShopifyThrottleStatus? _status;
    private long _observedAt;

    /// <summary>Remembers the bucket as Shopify reported it, and what <paramref name="query"/> requested.</summary>
    public void Observe(string query, ShopifyQueryCost? cost)
    {
        if (cost is null) return;
        lock (_gate)
        {
            if (cost.RequestedQueryCost > 0) _requestedByQuery[query] = cost.RequestedQueryCost;
            if (cost.ThrottleStatus is { } status)
            {
                _status = new ShopifyThrottleStatus
                {
                    MaximumAvailable = status.MaximumAvailable,
                    CurrentlyAvailable = status.CurrentlyAvailable,
                    RestoreRate = status.RestoreRate,
                };
                _observedAt = clock.GetTimestamp();
            }
        }
    }

    /// <summary>What <paramref name="query"/> requested last time, or <see langword="null"/> if it has not run yet.</summary>
    public double? ExpectedCost(string query)
    {
        lock (_gate) return _requestedByQuery.TryGetValue(query, out var cost) ? cost : null;
    }

    /// <summary>
    /// How long to wait until the bucket holds <paramref name="cost"/> points: zero when it already does,
    /// when nothing is known yet, or when the cost exceeds the bucket (Shopify then answers with its own error).
    /// </summary>
    public TimeSpan WaitFor(double? cost)
    {
        lock (_gate)
        {
            if (cost is not { } needed || _status is not { RestoreRate: > 0 } status || needed > status.MaximumAvailable) return TimeSpan.Zero;
            // Ticks, not fractional seconds, so that waiting exactly the computed time restores exactly enough.
            var elapsed = clock.GetElapsedTime(_observedAt);
            var available = Math.Min(status.MaximumAvailable,
                status.CurrentlyAvailable + elapsed.Ticks * status.RestoreRate / TimeSpan.TicksPerSecond);
            return available >= needed ? TimeSpan.Zero : Seconds((needed - available) / status.RestoreRate);
        }
    }

    /// <summary>The wait Shopify's THROTTLED answer implies: (requested − available) ÷ restore rate.</summary>
    public static TimeSpan WaitAfterThrottled(ShopifyQueryCost? cost)
    {
        if (cost?.ThrottleStatus is not { RestoreRate: > 0 } status) return FallbackThrottleWait;
        return Seconds(Math.Max(0, cost.RequestedQueryCost - status.CurrentlyAvailable) / status.RestoreRate);
    }

    /// <summary>The wait when a THROTTLED answer came without a throttle status to compute one from.</summary>
    public static TimeSpan FallbackThrottleWait { get; } = TimeSpan.FromSeconds(1);

    // Whole milliseconds, rounded up, so the bucket has at least the points when the wait ends. The small
    // tolerance keeps floating-point noise (1520.0000000002 ms) from adding a millisecond.
    private static TimeSpan Seconds(double seconds) =>
        TimeSpan.FromMilliseconds(Math.Ceiling(seconds * 1000 - 1e-6));
}

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// The app's leaky cost bucket on the emulated store: a query needs its requested cost available before
/// it runs, the unused part is refunded after, and points come back at the restore rate on the sandbox clock.
/// </summary>
internal sealed class CostBucket
{
    private readonly TimeProvider _clock;
    private double _level;
    private long _levelAt;

    public CostBucket(double maximumAvailable, double restoreRate, TimeProvider clock)
    {
        MaximumAvailable = maximumAvailable;
        RestoreRate = restoreRate;
        _clock = clock;
        _level = maximumAvailable;
        _levelAt = clock.GetTimestamp();
    }

    public double MaximumAvailable { get; }

    public double RestoreRate { get; }

    /// <summary>The points available now. Callers hold the sandbox's lock.</summary>
    public double Available()
    {
        // Integer ticks, so that waiting exactly (needed - available) / rate restores exactly enough.
        var restored = _clock.GetElapsedTime(_levelAt).Ticks * RestoreRate / TimeSpan.TicksPerSecond;
        return Math.Min(MaximumAvailable, _level + restored);
    }

    /// <summary>Takes <paramref name="cost"/> points if they are there.</summary>
    public bool TryTake(double cost)
    {
        var available = Available();
        if (available < cost) return false;
        Set(available - cost);
        return true;
    }

    /// <summary>Gives back the unused part of a query's requested cost.</summary>
    public void Refund(double points) => Set(Math.Min(MaximumAvailable, Available() + points));

    /// <summary>Sets the points available now.</summary>
    public void Set(double points)
    {
        _level = Math.Clamp(points, 0, MaximumAvailable);
        _levelAt = _clock.GetTimestamp();
    }
}

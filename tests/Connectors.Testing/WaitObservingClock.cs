using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Connectors.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer created on it, so that a test can wait
/// until the code under test is really waiting (a retry backoff, a Retry-After) and then advance the
/// clock by exactly that much. No real time passes and no test sleeps.
/// </summary>
public sealed class WaitObservingClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _waits = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>Starts the clock at a fixed instant.</summary>
    public WaitObservingClock() : base(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero))
    {
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            _waits.Writer.TryWrite(dueTime);
        }
        return timer;
    }

    /// <summary>
    /// Waits (in real time, bounded by <paramref name="cancellationToken"/>) until some code creates a
    /// timer that matches <paramref name="predicate"/>, then advances the clock by its due time.
    /// Timers that do not match (timeouts, say) are passed over.
    /// </summary>
    public async Task<TimeSpan> AdvancePastNextWaitAsync(Func<TimeSpan, bool> predicate, CancellationToken cancellationToken)
    {
        var wait = await NextWaitAsync(predicate, cancellationToken);
        Advance(wait);
        return wait;
    }

    /// <summary>
    /// Waits (in real time, bounded by <paramref name="cancellationToken"/>) until some code creates a
    /// timer that matches <paramref name="predicate"/>, and leaves the clock where it is: the signal that the
    /// code has got that far and is waiting. Timers that do not match are passed over.
    /// </summary>
    public async Task<TimeSpan> NextWaitAsync(Func<TimeSpan, bool> predicate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        while (true)
        {
            var wait = await _waits.Reader.ReadAsync(cancellationToken);
            if (predicate(wait)) return wait;
        }
    }
}

namespace Connectors.Typeform;

/// <summary>
/// The request slots of one Typeform account: at most <c>requestsPerSecond</c> a second on the injected clock
/// (Typeform allows 2 per second on the Responses API, per account, and answers 429 beyond). One instance per
/// system, shared by every handler the HTTP client factory builds for it, so a handler rotation does not reset it.
/// </summary>
internal sealed class TypeformRequestRate(double requestsPerSecond, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly TimeSpan _interval = TimeSpan.FromTicks((long)Math.Ceiling(TimeSpan.TicksPerSecond / requestsPerSecond));
    private DateTimeOffset? _next;

    /// <summary>The clock the slots are measured on.</summary>
    public TimeProvider Clock => clock;

    /// <summary>Takes the next free slot and returns how long to wait for it; concurrent callers queue up instead of bursting together.</summary>
    public TimeSpan Reserve()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var slot = _next is { } next && next > now ? next : now;
            _next = slot + _interval;
            return slot - now;
        }
    }
}

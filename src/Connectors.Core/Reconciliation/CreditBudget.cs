namespace Connectors.Core.Reconciliation;

/// <summary>
/// The credits a run may still spend: the flow's budget for any 24 hours less what its runs spent in the
/// last 24 hours. A step reserves its credits before it makes its calls; a step that does not fit stops the run.
/// </summary>
internal sealed class CreditBudget(long? left)
{
    // Both sides are read at once and may reserve at the same moment.
    private readonly Lock _gate = new();

    /// <summary>Credits spent by this run so far.</summary>
    public long Spent { get; private set; }

    /// <summary>Credits left now, or <see langword="null"/> when there is no budget.</summary>
    public long? Left => left is { } total ? total - Spent : null;

    /// <summary>Whether this run stopped because the next step did not fit.</summary>
    public bool Exhausted { get; private set; }

    /// <summary>The credits the step that did not fit needed.</summary>
    public long Needed { get; private set; }

    /// <summary>Takes <paramref name="credits"/> for a step if they fit; otherwise marks the budget exhausted.</summary>
    public bool TryReserve(long credits)
    {
        if (credits <= 0) return true;
        lock (_gate)
        {
            if (Left is { } available && credits > available)
            {
                Exhausted = true;
                Needed = credits;
                return false;
            }
            Spent += credits;
            return true;
        }
    }

    /// <summary>Gives back credits reserved for a call that was not made.</summary>
    public void Refund(long credits)
    {
        lock (_gate) Spent = Math.Max(0, Spent - Math.Max(0, credits));
    }
}

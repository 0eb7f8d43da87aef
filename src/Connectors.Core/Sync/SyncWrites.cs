namespace Connectors.Core.Sync;

/// <summary>Which mapped records a run writes.</summary>
public enum SyncWrites
{
    /// <summary>Only those whose mapped payload differs from what was last written (an ordinary sync).</summary>
    Changed,

    /// <summary>
    /// Every record, even when its payload equals what was last written: a reconciliation's repair,
    /// where the target drifted from what we wrote and the fingerprint alone cannot see it.
    /// </summary>
    All,
}

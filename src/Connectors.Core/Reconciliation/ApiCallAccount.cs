namespace Connectors.Core.Reconciliation;

/// <summary>The calls a run made to one system, against the fewest the same work could have taken.</summary>
/// <param name="System">The system's name in the config.</param>
/// <param name="Calls">HTTP requests made, retries included.</param>
/// <param name="Minimum">
/// The fewest calls the work needed: each kind of call at the vendor's per-call limit
/// (⌈records read / page size⌉ reads, ⌈records written / batch size⌉ writes, …), at least one per kind used.
/// </param>
/// <param name="Credits">Credits spent against the vendor's daily allowance (0 for a vendor without credits).</param>
public sealed record ApiCallAccount(string System, long Calls, long Minimum, long Credits)
{
    /// <summary>Calls made per call needed; 1.00 means not one call was wasted.</summary>
    public double Ratio => Minimum == 0 ? (Calls == 0 ? 1 : double.PositiveInfinity) : (double)Calls / Minimum;
}

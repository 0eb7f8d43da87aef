namespace Connectors.Functions.Timers;

/// <summary>The two timers a flow may have, as its config names them.</summary>
internal enum FlowTimer
{
    /// <summary><c>schedule</c>: the incremental sync (the <c>scheduled-sync</c> function).</summary>
    Schedule,

    /// <summary><c>reconcile</c>: the reconciliation (the <c>reconcile</c> function).</summary>
    Reconcile,
}

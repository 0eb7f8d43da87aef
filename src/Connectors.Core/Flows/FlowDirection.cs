namespace Connectors.Core.Flows;

/// <summary>Which way a flow's records go (<c>direction:</c> in its config).</summary>
public enum FlowDirection
{
    /// <summary>From the <c>from</c> stream into the <c>to</c> stream only: <c>one-way</c>, the default.</summary>
    OneWay,

    /// <summary>
    /// Both ways: each side's changes reach the other, merged against the last agreed values; needs a
    /// <c>reverse:</c> mapping: <c>two-way</c>.
    /// </summary>
    TwoWay,
}

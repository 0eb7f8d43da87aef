namespace Connectors.Core.Sync.TwoWay;

/// <summary>What a two-way flow does with two records on one side that share a match key (<c>duplicates:</c> in its config).</summary>
public enum DuplicateRule
{
    /// <summary>
    /// Link the oldest (earliest modification stamp, then lowest id) and report the others: each is
    /// dead-lettered with <c>DUPLICATE_MATCH_KEY</c> and counted; none is ever copied to the other side: <c>link-oldest</c>.
    /// </summary>
    LinkOldest,
}

namespace Connectors.Core.Flows;

/// <summary>What a one-way flow may do to the target (<c>writes:</c> in a config).</summary>
public enum WriteMode
{
    /// <summary>
    /// <c>create-or-update</c>, the default: a record not linked yet is written by its match fields, updating the
    /// target record it matches or creating one.
    /// </summary>
    CreateOrUpdate,

    /// <summary>
    /// <c>update-only</c>: a record not linked yet is looked up in the target by its match fields and updates the
    /// record found; one that matches nothing is dead-lettered (<c>NO_MATCH</c>), never created. For flows that
    /// enrich records another flow owns (survey scores onto existing contacts).
    /// </summary>
    UpdateOnly,
}

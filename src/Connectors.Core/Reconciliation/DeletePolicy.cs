namespace Connectors.Core.Reconciliation;

/// <summary>What a flow does with a target record whose source was deleted (and with duplicates of a paired record).</summary>
public enum DeletePolicy
{
    /// <summary>Report it and leave it.</summary>
    Ignore,

    /// <summary>Set the flow's flag field on the target record, so that people see it and decide.</summary>
    Flag,

    /// <summary>Delete the target record through the vendor's delete API.</summary>
    Delete,
}

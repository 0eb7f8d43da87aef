namespace Connectors.Core.Conflicts;

/// <summary>Why a field of a merged record took the value it took; shown by <c>conflicts show</c> and in logs.</summary>
public enum MergeReason
{
    /// <summary>Neither side changed it.</summary>
    Unchanged,

    /// <summary>Only one side changed it, and that side's value is taken under every policy.</summary>
    OneSide,

    /// <summary>Both sides changed it to the same value.</summary>
    SameValue,

    /// <summary>Both sides changed the record, and the record-level policy (source-, target- or newest-wins) decided.</summary>
    RecordPolicy,

    /// <summary>The field's own policy decided.</summary>
    FieldPolicy,

    /// <summary>Both sides changed it; its owner's value is taken.</summary>
    Owner,

    /// <summary>Both sides changed it; the side with the later modification stamp wins (the source within the skew).</summary>
    Newest,

    /// <summary>A person decided it (<c>conflicts resolve</c>).</summary>
    Decision,

    /// <summary>Both sides changed it to different values and it waits for a person: the record is parked.</summary>
    Undecided,
}

namespace Connectors.Core.Reconciliation;

/// <summary>Why a target record is believed to have lost its source record.</summary>
public enum DeleteEvidence
{
    /// <summary>Not a delete: the record is not missing in the source, or was never linked (this flow never wrote it).</summary>
    None,

    /// <summary>It was linked, and the source no longer has the source record (key-set difference).</summary>
    KeySetDifference,

    /// <summary>It was linked, and the source's own deleted-records API lists the source record.</summary>
    VendorDeletedList,
}

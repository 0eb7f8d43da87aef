namespace Connectors.BusinessCentral;

/// <summary>A webhook delivery after verification: either its changes, or why it was refused.</summary>
public sealed class BusinessCentralDelivery
{
    private BusinessCentralDelivery(bool verified, IReadOnlyList<BusinessCentralChange> changes, string? reason)
    {
        Verified = verified;
        Changes = changes;
        Reason = reason;
    }

    /// <summary>Whether every notification carried the subscription's clientState and named an entity.</summary>
    public bool Verified { get; }

    /// <summary>The announced changes; empty when the delivery was refused.</summary>
    public IReadOnlyList<BusinessCentralChange> Changes { get; }

    /// <summary>Why the delivery was refused; <see langword="null"/> when it was verified. Never carries a secret.</summary>
    public string? Reason { get; }

    internal static BusinessCentralDelivery Accepted(IReadOnlyList<BusinessCentralChange> changes) => new(true, changes, null);

    internal static BusinessCentralDelivery Refused(string reason) => new(false, [], reason);
}

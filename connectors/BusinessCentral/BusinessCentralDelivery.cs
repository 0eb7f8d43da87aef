namespace Connectors.BusinessCentral;

/// <summary>A webhook delivery after verification: either its changes, or why it was refused.</summary>
public sealed class BusinessCentralDelivery
{
    private BusinessCentralDelivery(bool verified, IReadOnlyList<BusinessCentralChange> changes, int otherCompanies, string? reason)
    {
        Verified = verified;
        Changes = changes;
        OtherCompanies = otherCompanies;
        Reason = reason;
    }

    /// <summary>Whether every notification carried the subscription's clientState and named an entity.</summary>
    public bool Verified { get; }

    /// <summary>The announced changes of the configured company; empty when the delivery was refused.</summary>
    public IReadOnlyList<BusinessCentralChange> Changes { get; }

    /// <summary>Genuine notifications left out because they name another company.</summary>
    public int OtherCompanies { get; }

    /// <summary>Why the delivery was refused; <see langword="null"/> when it was verified. Never carries a secret.</summary>
    public string? Reason { get; }

    internal static BusinessCentralDelivery Accepted(IReadOnlyList<BusinessCentralChange> changes, int otherCompanies) => new(true, changes, otherCompanies, null);

    internal static BusinessCentralDelivery Refused(string reason) => new(false, [], 0, reason);
}

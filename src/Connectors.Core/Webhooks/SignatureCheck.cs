namespace Connectors.Core.Webhooks;

/// <summary>What <see cref="HmacSha256Signature.Check"/> found.</summary>
public enum SignatureCheck
{
    /// <summary>Signed with the current secret.</summary>
    Valid,

    /// <summary>Signed with the previous secret, within its rotation window.</summary>
    ValidWithPrevious,

    /// <summary>No signature was presented.</summary>
    Missing,

    /// <summary>The presented value is not a base64 HMAC-SHA256.</summary>
    Malformed,

    /// <summary>The signature matches neither secret.</summary>
    Mismatch,

    /// <summary>Signed with the previous secret after its rotation window ended.</summary>
    PreviousExpired,
}

namespace Connectors.Core.Queue;

/// <summary>A held flow lease.</summary>
/// <param name="Flow">The flow it is for.</param>
/// <param name="Holder">Who holds it (for diagnostics).</param>
/// <param name="ExpiresAt">When it runs out unless renewed (the holder's clock).</param>
/// <param name="Token">An opaque proof of this grant; a renewal or release with an outdated token fails.</param>
public sealed record FlowLeaseGrant(string Flow, string Holder, DateTimeOffset ExpiresAt, string Token);

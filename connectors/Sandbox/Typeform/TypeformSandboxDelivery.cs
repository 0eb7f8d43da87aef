namespace Connectors.Sandbox.Typeform;

/// <summary>A webhook delivery as Typeform would POST it: the exact body bytes and the headers, the signature among them.</summary>
/// <param name="Body">The raw JSON body.</param>
/// <param name="Headers">The request headers (<c>Typeform-Signature</c>, <c>Content-Type</c>).</param>
public sealed record TypeformSandboxDelivery(byte[] Body, IReadOnlyDictionary<string, string> Headers);

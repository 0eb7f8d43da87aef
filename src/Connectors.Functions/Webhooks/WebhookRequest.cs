namespace Connectors.Functions.Webhooks;

/// <summary>One webhook delivery as it reached us, before anything of it is trusted.</summary>
/// <param name="System">The system the delivery is addressed to (the route's <c>{system}</c>).</param>
/// <param name="Headers">The request headers, looked up case-insensitively.</param>
/// <param name="Body">The raw body bytes, exactly as received: signatures are over these.</param>
/// <param name="Query">The query string with or without its leading '?', for handshakes.</param>
internal sealed record WebhookRequest(string System, IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body, string? Query);

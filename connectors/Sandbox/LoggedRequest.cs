namespace Connectors.Sandbox;

/// <summary>One request an emulator received, and what it answered.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path.</param>
/// <param name="Query">The query string, with its leading '?', or empty.</param>
/// <param name="Body">The request body as text (empty when there was none).</param>
/// <param name="Status">The status code answered.</param>
public sealed record LoggedRequest(string Method, string Path, string Query, string Body, int Status);

using Microsoft.AspNetCore.Http;

namespace Connectors.Sandbox;

/// <summary>A canned failure an emulator answers instead of the real behaviour, for the next <see cref="Times"/> matching requests.</summary>
/// <param name="Matches">Which requests it applies to.</param>
/// <param name="Times">How many matching requests it answers before it is used up.</param>
/// <param name="Status">The status code to answer.</param>
/// <param name="Body">The JSON body to answer, or empty.</param>
/// <param name="RetryAfter">A Retry-After header to send, if any.</param>
public sealed record Fault(Func<HttpRequest, bool> Matches, int Times, int Status, string Body = "", TimeSpan? RetryAfter = null);

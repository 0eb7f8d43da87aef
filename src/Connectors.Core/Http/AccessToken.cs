namespace Connectors.Core.Http;

/// <summary>A token a vendor issued, and how long it said it lives.</summary>
/// <param name="Value">The token itself; never logged.</param>
/// <param name="Lifetime">Its lifetime from now, as the vendor said (<c>expires_in</c>).</param>
public sealed record AccessToken(string Value, TimeSpan Lifetime)
{
    /// <inheritdoc />
    public override string ToString() => $"AccessToken(lifetime {Lifetime})";
}

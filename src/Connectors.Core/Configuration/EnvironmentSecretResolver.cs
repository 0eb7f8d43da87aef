namespace Connectors.Core.Configuration;

/// <summary>
/// Resolves both <c>env</c> and <c>secret</c> references from environment variables. In Azure, app
/// settings that are Key Vault references reach the process as environment variables already
/// resolved by the platform, so this is also how secrets from Key Vault arrive.
/// </summary>
public sealed class EnvironmentSecretResolver : ISecretResolver
{
    /// <inheritdoc />
    public string? Resolve(string kind, string name) => Environment.GetEnvironmentVariable(name);
}

namespace Connectors.Core.Configuration;

/// <summary>Resolves the <c>${env:NAME}</c> and <c>${secret:NAME}</c> references of a config.</summary>
public interface ISecretResolver
{
    /// <summary>The value of the reference, or <see langword="null"/> when it does not resolve.</summary>
    /// <param name="kind"><c>env</c> or <c>secret</c>.</param>
    /// <param name="name">The name after the colon.</param>
    string? Resolve(string kind, string name);
}

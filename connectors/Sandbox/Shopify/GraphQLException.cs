namespace Connectors.Sandbox.Shopify;

/// <summary>A query the emulator refuses; answered as a GraphQL error (HTTP 200), the way Shopify does.</summary>
internal sealed class GraphQLException(string message, string? code = null) : Exception(message)
{
    /// <summary>The error's <c>extensions.code</c>, when Shopify gives one.</summary>
    public string? Code { get; } = code;
}

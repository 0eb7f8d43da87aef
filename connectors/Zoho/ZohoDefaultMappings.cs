using Connectors.Core.Configuration;

namespace Connectors.Zoho;

/// <summary>
/// The default mappings shipped with the Zoho connector (<c>DefaultMappings/*.yaml</c>): Shopify customers →
/// Contacts and Shopify orders → Sales_Orders. A flow chooses one with <c>mapping: { use: NAME }</c>.
/// </summary>
public static class ZohoDefaultMappings
{
    private const string Prefix = "Connectors.Zoho.DefaultMappings.";

    private static readonly Lazy<IReadOnlyList<DefaultMapping>> Shipped = new(Load);

    /// <summary>Every default mapping the connector ships.</summary>
    public static IReadOnlyList<DefaultMapping> All => Shipped.Value;

    private static List<DefaultMapping> Load()
    {
        var assembly = typeof(ZohoDefaultMappings).Assembly;
        var mappings = new List<DefaultMapping>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            mappings.Add(DefaultMapping.Parse(reader.ReadToEnd(), $"connectors/Zoho/DefaultMappings/{resource[Prefix.Length..]}"));
        }
        return mappings;
    }
}

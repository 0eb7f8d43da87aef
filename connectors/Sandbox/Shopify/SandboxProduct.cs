using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// A product in the emulated store, with the one price and SKU its single variant has. Tests change one
/// through <see cref="ShopifySandbox.UpdateProduct"/>, which stamps <see cref="UpdatedAt"/> from the sandbox clock.
/// </summary>
public sealed class SandboxProduct : IStoredNode
{
    /// <summary>The numeric id; the GID is <see cref="Gid"/>.</summary>
    public long Id { get; internal set; }

    /// <summary>The GraphQL global id, <c>gid://shopify/Product/{Id}</c>.</summary>
    public string Gid => $"gid://shopify/Product/{Id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The product's title.</summary>
    public string Title { get; set; } = "";

    /// <summary>The vendor.</summary>
    public string? Vendor { get; set; }

    /// <summary>The product type, for example <c>Mugs</c>.</summary>
    public string? ProductType { get; set; }

    /// <summary><c>ACTIVE</c>, <c>DRAFT</c> or <c>ARCHIVED</c>.</summary>
    public string Status { get; set; } = "ACTIVE";

    /// <summary>The SKU of the product's variant.</summary>
    public string? Sku { get; set; }

    /// <summary>The variant's price in the shop's currency.</summary>
    public decimal Price { get; set; }

    /// <summary>The tags.</summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>When the product was created (whole seconds, UTC).</summary>
    public DateTimeOffset CreatedAt { get; internal set; }

    /// <summary>When the product last changed (whole seconds, UTC).</summary>
    public DateTimeOffset UpdatedAt { get; internal set; }

    internal SandboxProduct Clone()
    {
        var copy = (SandboxProduct)MemberwiseClone();
        copy.Tags = [.. Tags];
        return copy;
    }

    /// <summary>Every field the emulated schema has for a product; the answer keeps only the selected ones.</summary>
    internal JObject ToGraphQL(string currency) => new()
    {
        ["id"] = Gid,
        ["legacyResourceId"] = Id.ToString(CultureInfo.InvariantCulture),
        ["title"] = Title,
        ["handle"] = Handle(Title),
        ["vendor"] = Vendor,
        ["productType"] = ProductType,
        ["status"] = Status,
        ["tags"] = new JArray(Tags.Order(StringComparer.Ordinal)),
        ["createdAt"] = SandboxCustomer.Stamp(CreatedAt),
        ["updatedAt"] = SandboxCustomer.Stamp(UpdatedAt),
        ["priceRangeV2"] = new JObject
        {
            ["minVariantPrice"] = SandboxOrder.Money(Price, currency),
            ["maxVariantPrice"] = SandboxOrder.Money(Price, currency),
        },
    };

    private static string Handle(string title) =>
        string.Join('-', title.ToLowerInvariant().Split([' ', '\'', '&', '/'], StringSplitOptions.RemoveEmptyEntries));
}

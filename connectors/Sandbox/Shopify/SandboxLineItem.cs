using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>One line of an order in the emulated store: a product, how many, at what unit price.</summary>
public sealed class SandboxLineItem
{
    /// <summary>The line's numeric id.</summary>
    public long Id { get; internal set; }

    /// <summary>The product ordered, or <see langword="null"/> for a custom line.</summary>
    public long? ProductId { get; set; }

    /// <summary>The product's title at the time of the order.</summary>
    public string Title { get; set; } = "";

    /// <summary>The variant's title, for example <c>Large / Blue</c>, or <see langword="null"/> for a single-variant product.</summary>
    public string? VariantTitle { get; set; }

    /// <summary>The variant's SKU.</summary>
    public string? Sku { get; set; }

    /// <summary>How many were ordered.</summary>
    public int Quantity { get; set; } = 1;

    /// <summary>The unit price before discounts, in the shop's currency.</summary>
    public decimal UnitPrice { get; set; }

    internal SandboxLineItem Clone() => (SandboxLineItem)MemberwiseClone();

    internal JObject ToGraphQL(string currency, Func<long, JObject?> product) => new()
    {
        ["id"] = $"gid://shopify/LineItem/{Id.ToString(CultureInfo.InvariantCulture)}",
        ["name"] = VariantTitle is null ? Title : $"{Title} - {VariantTitle}",
        ["title"] = Title,
        ["variantTitle"] = VariantTitle,
        ["sku"] = Sku,
        ["quantity"] = Quantity,
        ["currentQuantity"] = Quantity,
        ["vendor"] = null,
        ["originalUnitPriceSet"] = SandboxOrder.MoneyBag(UnitPrice, currency),
        ["discountedTotalSet"] = SandboxOrder.MoneyBag(UnitPrice * Quantity, currency),
        ["product"] = ProductId is { } id ? product(id) : null,
    };
}

using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.WooCommerce;

/// <summary>One product line of an order.</summary>
public sealed class WooLineItem
{
    /// <summary>The order item id.</summary>
    public long Id { get; internal set; }

    /// <summary>The product's name as ordered.</summary>
    public string Name { get; set; } = "";

    /// <summary>The product id.</summary>
    public long ProductId { get; set; }

    /// <summary>The variation id, 0 for a simple product.</summary>
    public long VariationId { get; set; }

    /// <summary>The quantity.</summary>
    public int Quantity { get; set; } = 1;

    /// <summary>The SKU.</summary>
    public string Sku { get; set; } = "";

    /// <summary>The unit price, tax excluded.</summary>
    public decimal Price { get; set; }

    /// <summary>The line's tax.</summary>
    public decimal Tax { get; set; }

    internal WooLineItem Clone() => (WooLineItem)MemberwiseClone();

    internal JObject ToJson() => new()
    {
        ["id"] = Id,
        ["name"] = Name,
        ["product_id"] = ProductId,
        ["variation_id"] = VariationId,
        ["quantity"] = Quantity,
        ["tax_class"] = "",
        ["subtotal"] = WooOrder.Money(Price * Quantity),
        ["subtotal_tax"] = WooOrder.Money(Tax),
        ["total"] = WooOrder.Money(Price * Quantity),
        ["total_tax"] = WooOrder.Money(Tax),
        ["taxes"] = new JArray(),
        ["meta_data"] = new JArray(),
        ["sku"] = Sku,
        ["price"] = double.Parse(Price.ToString("0.##", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        ["image"] = new JObject { ["id"] = 0, ["src"] = "" },
        ["parent_name"] = null,
    };
}

using System.Globalization;

namespace Connectors.Sandbox.Shopify;

/// <summary>Deterministic, plausible products: the same seed gives the same catalogue. Titles, vendors, types, SKUs and prices.</summary>
internal sealed class CatalogGenerator(int seed)
{
    private static readonly string[] Materials = ["Ceramic", "Linen", "Walnut", "Recycled", "Organic Cotton", "Stoneware", "Copper", "Wool", "Bamboo", "Glass"];

    private static readonly (string Noun, string Type, decimal Low, decimal High)[] Kinds =
    [
        ("Mug", "Mugs", 12m, 28m), ("Apron", "Kitchen", 24m, 45m), ("Cutting Board", "Kitchen", 30m, 90m), ("Tote Bag", "Bags", 15m, 40m),
        ("Throw Blanket", "Home", 60m, 180m), ("Candle", "Home", 14m, 36m), ("Water Bottle", "Outdoor", 18m, 42m), ("Notebook", "Stationery", 8m, 22m),
        ("Plant Pot", "Garden", 16m, 55m), ("Serving Bowl", "Kitchen", 22m, 70m),
    ];

    private static readonly string[] Vendors = ["Northwind Goods", "Fabrikam Home", "Tailspin Outdoor", "Contoso Craft", "Adventure Works"];

    // Seeded on purpose: the same seed must give the same catalogue in every run.
    private readonly Random _random = new(seed);

    public void Fill(SandboxProduct product, long sequence)
    {
        var (noun, type, low, high) = Kinds[_random.Next(Kinds.Length)];
        product.Title = $"{Materials[_random.Next(Materials.Length)]} {noun}";
        product.ProductType = type;
        product.Vendor = Vendors[_random.Next(Vendors.Length)];
        product.Sku = $"SKU-{sequence.ToString("D5", CultureInfo.InvariantCulture)}";
        // Whole prices ending in .00 or .50, .95, .99 as shops set them.
        var whole = Math.Round(low + (decimal)_random.NextDouble() * (high - low));
        product.Price = whole + new[] { 0m, 0.5m, 0.95m, 0.99m }[_random.Next(4)];
        product.Status = _random.NextDouble() < 0.95 ? "ACTIVE" : "DRAFT";
    }

    /// <summary>The gap to the next product id.</summary>
    public int NextIdGap() => _random.Next(1, 3000);
}

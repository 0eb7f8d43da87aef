namespace Connectors.Sandbox.Shopify;

/// <summary>
/// Deterministic, plausible orders over the store's customers and products: the same seed gives the same
/// orders. Most are placed by a known customer (a few are guest checkouts), have one to four lines (now and
/// then a dozen), and carry the financial and fulfilment states a live shop shows, created in the last month.
/// </summary>
internal sealed class OrderGenerator(int seed)
{
    // Seeded on purpose: the same seed must give the same orders in every run.
    private readonly Random _random = new(seed);

    public void Fill(SandboxOrder order, IReadOnlyList<SandboxCustomer> customers, IReadOnlyList<SandboxProduct> products, DateTimeOffset now)
    {
        var customer = customers.Count > 0 && _random.NextDouble() < 0.95 ? customers[_random.Next(customers.Count)] : null;
        order.CustomerId = customer?.Id;
        order.Email = customer?.Email ?? $"guest{_random.Next(10_000, 99_999)}@example.org";
        order.TaxRate = 0.08m;
        var lines = _random.NextDouble() < 0.03 ? _random.Next(11, 16) : _random.Next(1, 5);
        order.LineItems = [.. Enumerable.Range(0, lines).Select(_ => Line(products[_random.Next(products.Count)]))];
        order.FinancialStatus = _random.NextDouble() switch { < 0.80 => "PAID", < 0.90 => "PENDING", < 0.95 => "AUTHORIZED", _ => "PARTIALLY_REFUNDED" };
        order.FulfillmentStatus = order.FinancialStatus == "PAID"
            ? _random.NextDouble() switch { < 0.55 => "FULFILLED", < 0.65 => "PARTIALLY_FULFILLED", _ => "UNFULFILLED" }
            : "UNFULFILLED";
        var created = CustomerGenerator.Truncate(now.AddSeconds(-_random.Next(600, 30 * 24 * 3600)));
        order.CreatedAt = created;
        order.UpdatedAt = CustomerGenerator.Truncate(created.AddSeconds(_random.NextDouble() * (now - created).TotalSeconds * 0.5));
    }

    /// <summary>The gap to the next order id.</summary>
    public int NextIdGap() => _random.Next(1, 2000);

    private SandboxLineItem Line(SandboxProduct product) => new()
    {
        ProductId = product.Id,
        Title = product.Title,
        Sku = product.Sku,
        Quantity = _random.Next(1, 4),
        UnitPrice = product.Price,
    };
}

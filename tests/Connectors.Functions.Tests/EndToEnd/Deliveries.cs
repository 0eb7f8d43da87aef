using Connectors.Sandbox.Shopify;

namespace Connectors.Functions.Tests.EndToEnd;

/// <summary>A shuffled stream of webhook deliveries with duplicates, as Shopify's at-least-once delivery makes it.</summary>
internal static class Deliveries
{
    /// <summary>
    /// Updates the shop's customers (some twice), and returns one delivery per update (its event id) plus
    /// re-sent duplicates of random events, so that <paramref name="total"/> deliveries hold
    /// <paramref name="duplicateShare"/> duplicates, in a seeded random order.
    /// </summary>
    public static IReadOnlyList<(long CustomerId, string EventId)> Make(ShopifySandbox shop, IReadOnlyList<SandboxCustomer> customers, int total, double duplicateShare, int seed)
    {
        var random = new Random(seed);
        var unique = (int)Math.Round(total * (1 - duplicateShare));
        var events = new List<(long, string)>(total);
        for (var i = 0; i < unique; i++)
        {
            var customer = customers[i % customers.Count];
            var round = i / customers.Count;
            shop.UpdateCustomer(customer.Id, c => c.LastName = $"{c.LastName!.Split('~')[0]}~{round}");
            events.Add((customer.Id, $"evt-{i}"));
        }
        while (events.Count < total) events.Add(events[random.Next(unique)]);
        return [.. events.OrderBy(_ => random.Next())];
    }
}

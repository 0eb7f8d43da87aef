using System.Globalization;
using System.Text;
using Connectors.Shopify;

namespace Connectors.Benchmarks.Webhooks;

/// <summary>
/// The deliveries of a run, as Shopify would send them: delivery <c>i</c> is a customers/update event whose body
/// names one of 50,000 customers; one delivery in five repeats the one before it (same event, same body), a
/// duplicate that must be acknowledged and not queued.
/// </summary>
internal static class Deliveries
{
    public const string Secret = "bench-secret";

    public static int OriginalOf(int i) => i % 5 == 4 ? i - 1 : i;

    public static string CustomerOf(int i) => (7_100_000_000_000 + i % 50_000).ToString(CultureInfo.InvariantCulture);

    /// <summary>Delivery <paramref name="i"/> as the bytes of one HTTP/1.1 request to <paramref name="address"/>.</summary>
    public static byte[] Request(Uri address, int i, DateTimeOffset triggeredAt)
    {
        var original = OriginalOf(i);
        var body = Encoding.UTF8.GetBytes($$"""{"id":{{CustomerOf(original)}},"email":"c{{original}}@example.com"}""");
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"POST {address.PathAndQuery} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: {address.Authority}\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n")
            .Append(CultureInfo.InvariantCulture, $"{ShopifyWebhooks.HmacHeader}: {ShopifyWebhooks.Sign(body, Secret)}\r\n")
            .Append(CultureInfo.InvariantCulture, $"{ShopifyWebhooks.TopicHeader}: customers/update\r\n")
            .Append(CultureInfo.InvariantCulture, $"{ShopifyWebhooks.ShopDomainHeader}: bench.myshopify.com\r\n")
            .Append(CultureInfo.InvariantCulture, $"{ShopifyWebhooks.EventIdHeader}: evt-{original}\r\n")
            .Append(CultureInfo.InvariantCulture, $"{ShopifyWebhooks.TriggeredAtHeader}: {triggeredAt.ToString("o", CultureInfo.InvariantCulture)}\r\n")
            .Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }
}

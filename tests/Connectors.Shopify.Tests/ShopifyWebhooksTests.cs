using Connectors.Core.Webhooks;
using System.Text;
using Connectors.Testing;

namespace Connectors.Shopify.Tests;

public sealed class ShopifyWebhooksTests
{
    private const string Secret = "test-secret";
    private const string KnownSignature = "bXcNEfIfV+zunWaWSCXt0gsM8Q0sFfB1PHTCdyz2NHw=";
    private static readonly byte[] KnownBody = Encoding.UTF8.GetBytes("""{"id":123,"email":"jane@example.com"}""");

    [Fact]
    public void Sign_KnownVector_GivesTheExpectedBase64Hmac()
    {
        Assert.Equal(KnownSignature, ShopifyWebhooks.Sign(KnownBody, Secret));
    }

    [Fact]
    public void Verify_KnownVector_IsVerifiedAndHeadersAreReadWhateverTheirCase()
    {
        var webhooks = new ShopifyWebhooks(new WebhookSecrets(Secret), new WaitObservingClock());
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["x-shopify-hmac-sha256"] = KnownSignature,
            ["X-SHOPIFY-TOPIC"] = "customers/update",
            ["x-shopify-shop-domain"] = "My-Shop.myshopify.com",
            ["X-Shopify-Event-Id"] = "98880550-7158-44d4-b7cd-2c97c8a091b5",
            ["x-shopify-webhook-id"] = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
            ["X-Shopify-Api-Version"] = "2025-10",
            ["x-shopify-triggered-at"] = "2026-11-23T08:59:58.123Z",
        };

        var result = webhooks.Verify(KnownBody, headers);

        var delivery = Assert.IsType<ShopifyWebhookVerification.Verified>(result).Delivery;
        Assert.Equal("customers/update", delivery.Topic);
        Assert.Equal("customers", delivery.Stream);
        Assert.Equal("my-shop.myshopify.com", delivery.ShopDomain);
        Assert.Equal("98880550-7158-44d4-b7cd-2c97c8a091b5", delivery.EventId);
        Assert.Equal("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", delivery.WebhookId);
        Assert.Equal("2025-10", delivery.ApiVersion);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 59, 58, 123, TimeSpan.Zero), delivery.TriggeredAt);
        Assert.Equal("123", delivery.RecordId);
        Assert.Equal("my-shop.myshopify.com/98880550-7158-44d4-b7cd-2c97c8a091b5", delivery.DedupeKey);
        Assert.False(delivery.SignedWithPreviousSecret);
    }

    [Fact]
    public void Verify_WrongSignature_IsRejected()
    {
        var webhooks = new ShopifyWebhooks(new WebhookSecrets(Secret), new WaitObservingClock());
        var tampered = Encoding.UTF8.GetBytes("""{"id":124,"email":"jane@example.com"}""");

        Assert.IsType<ShopifyWebhookVerification.Rejected>(webhooks.Verify(tampered, Headers(KnownSignature)));
        Assert.IsType<ShopifyWebhookVerification.Rejected>(webhooks.Verify(KnownBody, Headers(ShopifyWebhooks.Sign(KnownBody, "other-secret"))));
        Assert.IsType<ShopifyWebhookVerification.Rejected>(webhooks.Verify(KnownBody, Headers("not base64!")));
    }

    [Fact]
    public void Verify_MissingSignature_IsRejectedNamingTheHeader()
    {
        var webhooks = new ShopifyWebhooks(new WebhookSecrets(Secret), new WaitObservingClock());
        var headers = Headers(KnownSignature).Where(h => h.Key != ShopifyWebhooks.HmacHeader);

        var rejected = Assert.IsType<ShopifyWebhookVerification.Rejected>(webhooks.Verify(KnownBody, headers));

        Assert.Contains(ShopifyWebhooks.HmacHeader, rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_PreviousSecretDuringRotationWindow_IsAccepted()
    {
        var clock = new WaitObservingClock();
        var secrets = new WebhookSecrets("new-secret", previous: Secret, previousValidUntil: clock.GetUtcNow().AddHours(1));
        var webhooks = new ShopifyWebhooks(secrets, clock);

        var result = webhooks.Verify(KnownBody, Headers(KnownSignature));

        Assert.True(Assert.IsType<ShopifyWebhookVerification.Verified>(result).Delivery.SignedWithPreviousSecret);
    }

    [Fact]
    public void Verify_PreviousSecretAfterRotationWindow_IsRejected()
    {
        var clock = new WaitObservingClock();
        var secrets = new WebhookSecrets("new-secret", previous: Secret, previousValidUntil: clock.GetUtcNow().AddHours(1));
        var webhooks = new ShopifyWebhooks(secrets, clock);
        clock.Advance(TimeSpan.FromHours(1));

        var rejected = Assert.IsType<ShopifyWebhookVerification.Rejected>(webhooks.Verify(KnownBody, Headers(KnownSignature)));

        Assert.Contains("rotation window", rejected.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_CurrentSecretDuringRotation_IsAcceptedAsCurrent()
    {
        var clock = new WaitObservingClock();
        var secrets = new WebhookSecrets(Secret, previous: "old-secret", previousValidUntil: clock.GetUtcNow().AddHours(1));

        var result = new ShopifyWebhooks(secrets, clock).Verify(KnownBody, Headers(KnownSignature));

        Assert.False(Assert.IsType<ShopifyWebhookVerification.Verified>(result).Delivery.SignedWithPreviousSecret);
    }

    [Fact]
    public void Verify_WithoutEventId_DedupesOnTheWebhookId()
    {
        var webhooks = new ShopifyWebhooks(new WebhookSecrets(Secret), new WaitObservingClock());
        var headers = Headers(KnownSignature).Where(h => h.Key != ShopifyWebhooks.EventIdHeader);

        var delivery = Assert.IsType<ShopifyWebhookVerification.Verified>(webhooks.Verify(KnownBody, headers)).Delivery;

        Assert.Equal("my-shop.myshopify.com/delivery-1", delivery.DedupeKey);
    }

    [Fact]
    public void Verify_TheWholeResource_GivesTheTopLevelIdAndStampOnly()
    {
        var webhooks = new ShopifyWebhooks(new WebhookSecrets(Secret), new WaitObservingClock());
        var body = Encoding.UTF8.GetBytes("""
            {"default_address":{"id":9001,"customer_id":706405506930370000,"updated_at":"2020-01-01T00:00:00Z"},
             "addresses":[{"id":9002}],"id":706405506930370000,"email":"jane@example.com",
             "updated_at":"2026-11-23T04:15:30-05:00","tags":""}
            """);

        var delivery = Assert.IsType<ShopifyWebhookVerification.Verified>(webhooks.Verify(body, Headers(ShopifyWebhooks.Sign(body, Secret)))).Delivery;

        Assert.Equal("706405506930370000", delivery.RecordId);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 15, 30, TimeSpan.Zero), delivery.RecordModified);
    }

    [Fact]
    public void Verify_SignedBodyThatIsNotJson_IsGenuineAndNamesNoRecord()
    {
        var webhooks = new ShopifyWebhooks(new WebhookSecrets(Secret), new WaitObservingClock());
        var body = Encoding.UTF8.GetBytes("""{"id":123,"email":""");

        var delivery = Assert.IsType<ShopifyWebhookVerification.Verified>(webhooks.Verify(body, Headers(ShopifyWebhooks.Sign(body, Secret)))).Delivery;

        Assert.Null(delivery.RecordId);
        Assert.Null(delivery.RecordModified);
    }

    private static Dictionary<string, string> Headers(string signature) => new()
    {
        [ShopifyWebhooks.HmacHeader] = signature,
        [ShopifyWebhooks.TopicHeader] = "customers/update",
        [ShopifyWebhooks.ShopDomainHeader] = "my-shop.myshopify.com",
        [ShopifyWebhooks.EventIdHeader] = "event-1",
        [ShopifyWebhooks.WebhookIdHeader] = "delivery-1",
    };
}

using Connectors.Core.Webhooks;
using System.Text;
using Connectors.Testing;

namespace Connectors.WooCommerce.Tests;

public sealed class WooCommerceWebhooksTests
{
    private const string KnownBody = """{"id":123,"email":"jane@example.com"}""";

    private static WooCommerceWebhooks Verifier(TimeProvider clock, string current = "test-secret", string? previous = null, DateTimeOffset? until = null) =>
        new(new WebhookSecrets(current, previous, until), clock);

    [Fact]
    public void Sign_ReferenceArithmeticCheck_GivesTheVectorShopifysAlgorithmGives()
    {
        // The shared reference says WooCommerce signs exactly as Shopify does: base64(HMAC-SHA256(raw body, secret)).
        var signature = WooCommerceWebhooks.Sign(Encoding.UTF8.GetBytes(KnownBody), "test-secret");

        Assert.Equal("bXcNEfIfV+zunWaWSCXt0gsM8Q0sFfB1PHTCdyz2NHw=", signature);
    }

    [Fact]
    public void Verify_KnownVector_IsVerifiedAndNamesTheRecord()
    {
        var body = Encoding.UTF8.GetBytes(KnownBody);

        var result = Verifier(new WaitObservingClock()).Verify(body, [
            new(WooCommerceWebhooks.SignatureHeader, "bXcNEfIfV+zunWaWSCXt0gsM8Q0sFfB1PHTCdyz2NHw="),
            new(WooCommerceWebhooks.TopicHeader, "customer.updated"),
        ]);

        var delivery = Assert.IsType<WooCommerceWebhookVerification.Verified>(result).Delivery;
        Assert.Equal(("customer", "updated", "customers", "123"), (delivery.Resource, delivery.Event, delivery.Stream, delivery.RecordId));
        Assert.False(delivery.SignedWithPreviousSecret);
    }

    [Fact]
    public async Task Verify_SandboxDeliveryOfACustomerUpdate_ReadsItsHeadersAndTheRecordsStamp()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        var customer = harness.Sandbox.AddCustomer(c => { c.Email = "zoë@example.com"; c.FirstName = "Zoë"; c.LastName = "Müller"; });
        var sent = harness.Sandbox.WebhookDelivery("customer.updated", customer.Id, WooCommerceHarness.WebhookSecret, webhookId: 12);

        var result = harness.Webhooks.Verify(sent.Body, sent.Headers);

        var delivery = Assert.IsType<WooCommerceWebhookVerification.Verified>(result).Delivery;
        Assert.Equal(("customer.updated", "customers", customer.Id.ToString(), customer.ModifiedAt), (delivery.Topic, delivery.Stream, delivery.RecordId, delivery.RecordModified));
        Assert.Equal(("12", harness.Sandbox.StoreUrl.ToString()), (delivery.WebhookId, delivery.Source));
        Assert.Equal(sent.Headers["X-WC-Webhook-Delivery-ID"], delivery.DeliveryId);
        Assert.Equal($"customer/{customer.Id}@{customer.ModifiedAt!.Value.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}", delivery.DedupeKey);
        // Encoded as PHP's wp_json_encode does, and verified over those very bytes.
        Assert.Contains("Zo\\u00eb", Encoding.UTF8.GetString(sent.Body), StringComparison.Ordinal);
        Assert.Contains("http:\\/\\/", Encoding.UTF8.GetString(sent.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SignedWithAnotherSecret_IsRejectedWithoutEchoingEitherSignatureOrTheSecret()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        var customer = harness.Sandbox.AddCustomer(c => c.Email = "a@example.com");
        var sent = harness.Sandbox.WebhookDelivery("customer.created", customer.Id, "a-secret-the-attacker-guessed");
        var expected = WooCommerceWebhooks.Sign(sent.Body, WooCommerceHarness.WebhookSecret);

        var rejected = Assert.IsType<WooCommerceWebhookVerification.Rejected>(harness.Webhooks.Verify(sent.Body, sent.Headers));

        Assert.Equal("The signature does not match the body.", rejected.Reason);
        Assert.DoesNotContain(expected, rejected.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(sent.Headers[WooCommerceWebhooks.SignatureHeader], rejected.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(WooCommerceHarness.WebhookSecret, rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BodyChangedAfterSigning_IsRejected()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        harness.Sandbox.Seed(1, seed: 1);
        var order = harness.Sandbox.AddOrder(o => o.Status = "processing");
        var sent = harness.Sandbox.WebhookDelivery("order.updated", order.Id, WooCommerceHarness.WebhookSecret);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(sent.Body).Replace("\"processing\"", "\"completed\"", StringComparison.Ordinal));

        var result = harness.Webhooks.Verify(tampered, sent.Headers);

        Assert.IsType<WooCommerceWebhookVerification.Rejected>(result);
    }

    [Fact]
    public async Task Verify_WithoutTheSignatureHeader_IsRejected()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        var customer = harness.Sandbox.AddCustomer(c => c.Email = "b@example.com");
        var sent = harness.Sandbox.WebhookDelivery("customer.updated", customer.Id, WooCommerceHarness.WebhookSecret);

        var rejected = Assert.IsType<WooCommerceWebhookVerification.Rejected>(
            harness.Webhooks.Verify(sent.Body, sent.Headers.Where(h => h.Key != WooCommerceWebhooks.SignatureHeader)));

        Assert.Equal("The X-WC-Webhook-Signature header is missing.", rejected.Reason);
    }

    [Fact]
    public void Verify_HeaderNamesInAnyCase_AreMatched()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":7,"date_modified_gmt":"2026-11-23T08:59:00"}""");

        var result = Verifier(new WaitObservingClock()).Verify(body, [
            new("x-wc-webhook-signature", WooCommerceWebhooks.Sign(body, "test-secret")),
            new("X-WC-WEBHOOK-TOPIC", "order.created"),
        ]);

        var delivery = Assert.IsType<WooCommerceWebhookVerification.Verified>(result).Delivery;
        Assert.Equal(("orders", "7", new DateTimeOffset(2026, 11, 23, 8, 59, 0, TimeSpan.Zero)), (delivery.Stream, delivery.RecordId, delivery.RecordModified));
    }

    [Fact]
    public void Verify_PreviousSecretDuringTheRotationWindow_IsAcceptedAndSaysSo()
    {
        var clock = new WaitObservingClock();
        var body = Encoding.UTF8.GetBytes(KnownBody);
        var verifier = Verifier(clock, current: "new-secret", previous: "test-secret", until: clock.GetUtcNow().AddHours(1));

        var result = verifier.Verify(body, [new(WooCommerceWebhooks.SignatureHeader, WooCommerceWebhooks.Sign(body, "test-secret")), new(WooCommerceWebhooks.TopicHeader, "customer.updated")]);

        Assert.True(Assert.IsType<WooCommerceWebhookVerification.Verified>(result).Delivery.SignedWithPreviousSecret);
    }

    [Fact]
    public void Verify_PreviousSecretAfterTheRotationWindow_IsRejected()
    {
        var clock = new WaitObservingClock();
        var body = Encoding.UTF8.GetBytes(KnownBody);
        var verifier = Verifier(clock, current: "new-secret", previous: "test-secret", until: clock.GetUtcNow().AddHours(1));
        clock.Advance(TimeSpan.FromHours(1));

        var result = verifier.Verify(body, [new(WooCommerceWebhooks.SignatureHeader, WooCommerceWebhooks.Sign(body, "test-secret")), new(WooCommerceWebhooks.TopicHeader, "customer.updated")]);

        Assert.Equal("The delivery is signed with the previous secret, whose rotation window has ended.",
            Assert.IsType<WooCommerceWebhookVerification.Rejected>(result).Reason);
    }

    [Fact]
    public void Verify_CurrentSecretDuringTheRotation_IsAcceptedAsCurrent()
    {
        var clock = new WaitObservingClock();
        var body = Encoding.UTF8.GetBytes(KnownBody);
        var verifier = Verifier(clock, current: "new-secret", previous: "test-secret", until: clock.GetUtcNow().AddHours(1));

        var result = verifier.Verify(body, [new(WooCommerceWebhooks.SignatureHeader, WooCommerceWebhooks.Sign(body, "new-secret")), new(WooCommerceWebhooks.TopicHeader, "customer.updated")]);

        Assert.False(Assert.IsType<WooCommerceWebhookVerification.Verified>(result).Delivery.SignedWithPreviousSecret);
    }

    [Fact]
    public async Task Verify_ThePingOfANewWebhook_IsAPingAndNeedsNoSignature()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        var ping = harness.Sandbox.Ping(webhookId: 31);

        var result = harness.Webhooks.Verify(ping.Body, ping.Headers);

        Assert.Equal("31", Assert.IsType<WooCommerceWebhookVerification.Ping>(result).WebhookId);
        Assert.DoesNotContain(ping.Headers, h => h.Key == WooCommerceWebhooks.SignatureHeader);
    }

    [Theory]
    [InlineData("webhook_id=31&topic=customer.updated")]
    [InlineData("webhook_id=")]
    [InlineData("webhook_id=x1")]
    [InlineData(" webhook_id=31")]
    public void Verify_BodiesThatOnlyLookLikeAPing_NeedTheSignature(string body)
    {
        var result = Verifier(new WaitObservingClock()).Verify(Encoding.UTF8.GetBytes(body), []);

        Assert.IsType<WooCommerceWebhookVerification.Rejected>(result);
    }

    [Fact]
    public async Task Verify_SecretWithHtmlEntities_IsDecodedBeforeSigningAsWordPressDoes()
    {
        const string stored = "s3cr&amp;t&#039;s";
        await using var harness = await WooCommerceHarness.StartAsync(o => o.WebhookSecret = stored);
        var customer = harness.Sandbox.AddCustomer(c => c.Email = "c@example.com");
        var sent = harness.Sandbox.WebhookDelivery("customer.updated", customer.Id, stored);

        var result = harness.Webhooks.Verify(sent.Body, sent.Headers);

        Assert.IsType<WooCommerceWebhookVerification.Verified>(result);
        Assert.Equal(WooCommerceWebhooks.Sign(sent.Body, "s3cr&t's"), sent.Headers[WooCommerceWebhooks.SignatureHeader]);
    }

    [Theory]
    [InlineData("a&amp;b", "a&b")]
    [InlineData("&#0039;&#X27;&#x0022;&quot;", "''\"\"")]
    [InlineData("&lt;&#060;&gt;&#62;&#038;&#x26;", "<<>>&&")]
    [InlineData("&amp;lt;", "&lt;")]
    [InlineData("&QUOT;&nbsp;&#65;", "&QUOT;&nbsp;&#65;")]
    [InlineData("no entities", "no entities")]
    public void SigningKey_IsTheSecretAfterWpSpecialcharsDecodeWithQuotes(string secret, string key)
    {
        Assert.Equal(key, Encoding.UTF8.GetString(WooCommerceWebhooks.SigningKeyOf(secret)));
    }

    [Fact]
    public async Task DedupeKey_SameChangeFromTwoWebhooks_IsShared_WhileOneWebhooksDeliveriesInOneSecondAreNot()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        var customers = harness.Sandbox.Seed(2, seed: 3);
        var created = harness.Sandbox.WebhookDelivery("customer.created", customers[0].Id, WooCommerceHarness.WebhookSecret, webhookId: 1);
        var updated = harness.Sandbox.WebhookDelivery("customer.updated", customers[0].Id, WooCommerceHarness.WebhookSecret, webhookId: 2);
        var other = harness.Sandbox.WebhookDelivery("customer.created", customers[1].Id, WooCommerceHarness.WebhookSecret, webhookId: 1);
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        harness.Sandbox.UpdateCustomer(customers[0].Id, c => c.FirstName = "Changed");
        var later = harness.Sandbox.WebhookDelivery("customer.updated", customers[0].Id, WooCommerceHarness.WebhookSecret, webhookId: 2);

        var keys = new[] { created, updated, other, later }
            .Select(d => Assert.IsType<WooCommerceWebhookVerification.Verified>(harness.Webhooks.Verify(d.Body, d.Headers)).Delivery)
            .ToList();

        Assert.Equal(keys[0].DedupeKey, keys[1].DedupeKey);
        Assert.NotEqual(keys[0].DeliveryId, keys[1].DeliveryId);
        // wp_hash(webhook id . time()): one webhook's deliveries within a second share the id, about different records.
        Assert.Equal(keys[0].DeliveryId, keys[2].DeliveryId);
        Assert.NotEqual(keys[0].DedupeKey, keys[2].DedupeKey);
        Assert.NotEqual(keys[1].DedupeKey, keys[3].DedupeKey);
    }

    [Fact]
    public async Task DedupeKey_OfADeletion_WhichCarriesOnlyTheId_IsTheRecordEventAndDelivery()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        var customer = harness.Sandbox.Seed(1, seed: 4)[0];
        harness.Sandbox.DeleteCustomer(customer.Id);
        var sent = harness.Sandbox.WebhookDelivery("customer.deleted", customer.Id, WooCommerceHarness.WebhookSecret, webhookId: 5);

        var delivery = Assert.IsType<WooCommerceWebhookVerification.Verified>(harness.Webhooks.Verify(sent.Body, sent.Headers)).Delivery;

        Assert.Equal($$"""{"id":{{customer.Id}}}""", Encoding.UTF8.GetString(sent.Body));
        Assert.Null(delivery.RecordModified);
        Assert.Equal($"customer/{customer.Id}/deleted/{delivery.DeliveryId}", delivery.DedupeKey);
    }
}

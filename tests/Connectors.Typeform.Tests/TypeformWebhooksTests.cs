using System.Text;

namespace Connectors.Typeform.Tests;

public sealed class TypeformWebhooksTests
{
    [Fact]
    public void Sign_ReferenceArithmeticCheck_GivesTheSelfComputedVector()
    {
        var signature = TypeformWebhooks.Sign(Encoding.UTF8.GetBytes("""{"id":123,"email":"jane@example.com"}"""), "test-secret");

        Assert.Equal("sha256=bXcNEfIfV+zunWaWSCXt0gsM8Q0sFfB1PHTCdyz2NHw=", signature);
    }

    [Fact]
    public async Task Verify_DeliverySignedWithTheSecret_ReadsTheEventAndTheResponseToken()
    {
        await using var harness = await TypeformHarness.StartAsync();
        var response = harness.Sandbox.AddResponse(r => { r.Email = "ada@example.com"; r.Score = 9; });
        var delivery = harness.Sandbox.WebhookDelivery(response.Token, TypeformHarness.WebhookSecret);

        var verification = harness.Services.GetTypeformWebhooks(TypeformHarness.System).Verify(delivery.Body, delivery.Headers);

        var verified = Assert.IsType<TypeformWebhookVerification.Verified>(verification);
        Assert.Equal((harness.Sandbox.FormId, response.Token, "form_response"), (verified.Delivery.FormId, verified.Delivery.ResponseToken, verified.Delivery.EventType));
        Assert.Equal(response.SubmittedAt, verified.Delivery.SubmittedAt);
        Assert.Equal("responses", verified.Delivery.Stream);
        Assert.StartsWith(harness.Sandbox.FormId + "/01", verified.Delivery.DedupeKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SignedWithAnotherSecret_IsRejectedWithoutEchoingEitherSignature()
    {
        await using var harness = await TypeformHarness.StartAsync();
        var response = harness.Sandbox.AddResponse(r => r.Score = 9);
        var delivery = harness.Sandbox.WebhookDelivery(response.Token, "a-secret-the-attacker-guessed");
        var expected = TypeformWebhooks.Sign(delivery.Body, TypeformHarness.WebhookSecret);

        var rejected = Assert.IsType<TypeformWebhookVerification.Rejected>(
            harness.Services.GetTypeformWebhooks(TypeformHarness.System).Verify(delivery.Body, delivery.Headers));

        Assert.Equal("The signature does not match the body.", rejected.Reason);
        Assert.DoesNotContain(expected, rejected.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(TypeformHarness.WebhookSecret, rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BodyChangedAfterSigning_IsRejected()
    {
        await using var harness = await TypeformHarness.StartAsync();
        var response = harness.Sandbox.AddResponse(r => r.Score = 2);
        var delivery = harness.Sandbox.WebhookDelivery(response.Token, TypeformHarness.WebhookSecret);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(delivery.Body).Replace("\"number\":2", "\"number\":10", StringComparison.Ordinal));

        var verification = harness.Services.GetTypeformWebhooks(TypeformHarness.System).Verify(tampered, delivery.Headers);

        Assert.IsType<TypeformWebhookVerification.Rejected>(verification);
    }

    [Fact]
    public async Task Verify_WithoutTheSignatureHeader_IsRejected()
    {
        await using var harness = await TypeformHarness.StartAsync();
        var response = harness.Sandbox.AddResponse(r => r.Score = 7);
        var delivery = harness.Sandbox.WebhookDelivery(response.Token, TypeformHarness.WebhookSecret);

        var rejected = Assert.IsType<TypeformWebhookVerification.Rejected>(harness.Services.GetTypeformWebhooks(TypeformHarness.System)
            .Verify(delivery.Body, delivery.Headers.Where(h => h.Key != "Typeform-Signature")));

        Assert.Equal("The Typeform-Signature header is missing.", rejected.Reason);
    }

    [Fact]
    public void Verify_HeaderNameInAnyCaseAndWithoutThePrefix_IsMatchedCaseInsensitivelyAndThePrefixRequired()
    {
        var webhooks = new TypeformWebhooks("test-secret", "u6nXL7");
        var body = Encoding.UTF8.GetBytes("""{"event_id":"e1","event_type":"form_response","form_response":{"form_id":"u6nXL7","token":"t1","submitted_at":"2026-11-23T09:00:00Z"}}""");
        var signature = TypeformWebhooks.Sign(body, "test-secret");

        var lowerCase = webhooks.Verify(body, [new("typeform-signature", signature)]);
        var withoutPrefix = webhooks.Verify(body, [new("Typeform-Signature", signature["sha256=".Length..])]);

        Assert.Equal("t1", Assert.IsType<TypeformWebhookVerification.Verified>(lowerCase).Delivery.ResponseToken);
        Assert.IsType<TypeformWebhookVerification.Rejected>(withoutPrefix);
    }

    [Fact]
    public void Verify_GenuineDeliveryForAnotherForm_IsRejected()
    {
        var webhooks = new TypeformWebhooks("test-secret", "u6nXL7");
        var body = Encoding.UTF8.GetBytes("""{"event_id":"e1","event_type":"form_response","form_response":{"form_id":"other1","token":"t1"}}""");

        var verification = webhooks.Verify(body, [new("Typeform-Signature", TypeformWebhooks.Sign(body, "test-secret"))]);

        Assert.Contains("other1", Assert.IsType<TypeformWebhookVerification.Rejected>(verification).Reason, StringComparison.Ordinal);
    }
}

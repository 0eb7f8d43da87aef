namespace Connectors.BusinessCentral.Tests;

public sealed class BusinessCentralWebhooksTests
{
    private const string ClientState = "d2f7c1e0-webhook-shared-secret";
    private const string Company = "b18aed47-c385-49d2-b954-dbdf8ad71780";

    [Fact]
    public void Handshake_WithAValidationToken_GivesTheTokenToEchoUnchanged()
    {
        Assert.True(BusinessCentralWebhooks.TryReadHandshake("?validationToken=f1c9%2Bx%3D%3D", out var token));
        Assert.Equal("f1c9+x==", token);
        Assert.False(BusinessCentralWebhooks.TryReadHandshake("?other=1", out _));
        Assert.False(BusinessCentralWebhooks.TryReadHandshake(null, out _));
    }

    [Fact]
    public void Delivery_WithTheSubscriptionsClientState_ListsEachChangedEntityAndCollectionChange()
    {
        var webhooks = new BusinessCentralWebhooks(ClientState, Company);
        var body = $$"""
            {"value":[
              {"subscriptionId":"customers","clientState":"{{ClientState}}","expirationDateTime":"2026-11-26T09:00:00Z",
               "resource":"api/v2.0/companies({{Company}})/customers(130bbd17-dbb9-4790-9b12-2b0e9c9d22c3)","changeType":"updated",
               "lastModifiedDateTime":"2026-11-23T09:00:20.467Z"},
              {"subscriptionId":"customers","clientState":"{{ClientState}}","expirationDateTime":"2026-11-26T09:00:00Z",
               "resource":"api/v2.0/companies({{Company}})/customers(4b4f31f0-dc1c-4033-b2aa-ab03ca1d6ebc)","changeType":"deleted",
               "lastModifiedDateTime":"2026-11-23T09:00:30.503Z"},
              {"subscriptionId":"orders","clientState":"{{ClientState}}","expirationDateTime":"2026-11-26T09:00:00Z",
               "resource":"/api/v2.0/companies({{Company}})/salesOrders?$filter=lastModifiedDateTime%20gt%202026-11-23T09:00:00Z",
               "changeType":"collection","lastModifiedDateTime":"2026-11-23T09:00:31Z"}
            ]}
            """;

        var delivery = webhooks.Read(body);

        Assert.True(delivery.Verified);
        Assert.Equal(
        [
            new BusinessCentralChange(Company, "customers", "130bbd17-dbb9-4790-9b12-2b0e9c9d22c3", "updated",
                new DateTimeOffset(2026, 11, 23, 9, 0, 20, 467, TimeSpan.Zero), null),
            new BusinessCentralChange(Company, "customers", "4b4f31f0-dc1c-4033-b2aa-ab03ca1d6ebc", "deleted",
                new DateTimeOffset(2026, 11, 23, 9, 0, 30, 503, TimeSpan.Zero), null),
            new BusinessCentralChange(Company, "salesOrders", null, "collection",
                new DateTimeOffset(2026, 11, 23, 9, 0, 31, TimeSpan.Zero), "lastModifiedDateTime gt 2026-11-23T09:00:00Z"),
        ], delivery.Changes);
        Assert.True(delivery.Changes[1].IsDeleted);
        Assert.True(delivery.Changes[2].IsCollection);
    }

    [Fact]
    public void Delivery_NamingAnotherCompany_IsGenuine_ButOnlyTheConfiguredCompanysChangesAreListed()
    {
        const string Other = "5d4b3c2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a";
        var body = $$"""
            {"value":[
              {"clientState":"{{ClientState}}","resource":"api/v2.0/companies({{Other}})/customers(130bbd17-dbb9-4790-9b12-2b0e9c9d22c3)","changeType":"updated"},
              {"clientState":"{{ClientState}}","resource":"api/v2.0/companies({{Company.ToUpperInvariant()}})/customers(4b4f31f0-dc1c-4033-b2aa-ab03ca1d6ebc)","changeType":"updated"},
              {"clientState":"{{ClientState}}","resource":"api/v2.0/companies({{Other}})/salesOrders","changeType":"collection"}
            ]}
            """;

        var delivery = new BusinessCentralWebhooks(ClientState, Company).Read(body);

        Assert.True(delivery.Verified);
        Assert.Equal("4b4f31f0-dc1c-4033-b2aa-ab03ca1d6ebc", Assert.Single(delivery.Changes).Id);
        Assert.Equal(2, delivery.OtherCompanies);
    }

    [Fact]
    public void Reader_ForACompanyIdThatIsNoGuid_IsRefusedUpFront()
    {
        Assert.Throws<ArgumentException>(() => new BusinessCentralWebhooks(ClientState, "CRONUS USA, Inc."));
    }

    [Theory]
    [InlineData("\"clientState\":\"d2f7c1e0-webhook-shared-secreT\",")]
    [InlineData("\"clientState\":\"\",")]
    [InlineData("")]
    public void Delivery_WhereAnyNotificationLacksTheClientState_IsRefusedWhole(string forgedClientState)
    {
        var webhooks = new BusinessCentralWebhooks(ClientState, Company);
        var body = $$"""
            {"value":[
              {"clientState":"{{ClientState}}","resource":"api/v2.0/companies({{Company}})/customers(130bbd17-dbb9-4790-9b12-2b0e9c9d22c3)","changeType":"updated"},
              {{{forgedClientState}}"resource":"api/v2.0/companies({{Company}})/customers(4b4f31f0-dc1c-4033-b2aa-ab03ca1d6ebc)","changeType":"deleted"}
            ]}
            """;

        var delivery = webhooks.Read(body);

        Assert.False(delivery.Verified);
        Assert.Empty(delivery.Changes);
        Assert.DoesNotContain(ClientState, delivery.Reason!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"value":[]}""")]
    [InlineData("""{"value":[{"clientState":"d2f7c1e0-webhook-shared-secret","resource":"api/v2.0/items","changeType":"updated"}]}""")]
    public void Delivery_ThatIsNotANotificationOfACompanysEntity_IsRefused(string body)
    {
        Assert.False(new BusinessCentralWebhooks(ClientState, Company).Read(body).Verified);
    }
}

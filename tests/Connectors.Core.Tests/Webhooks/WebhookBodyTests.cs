using System.Text;
using System.Text.Json;
using Connectors.Core.Webhooks;

namespace Connectors.Core.Tests.Webhooks;

public sealed class WebhookBodyTests
{
    private static WebhookBodyValue?[] Read(string json) => WebhookBody.TopLevel(Encoding.UTF8.GetBytes(json), "id", "updated_at");

    [Fact]
    public void TopLevel_ReadsTheNamedMembers_NotTheSameNamesInsideNestedValues()
    {
        var values = Read("""
            {"customer":{"id":1,"updated_at":"nested"},"addresses":[{"id":2}],"id":7100000000123,"email":"a@b.c",
             "updated_at":"2026-11-23T09:15:30-05:00","tags":["id","updated_at"]}
            """);

        Assert.Equal(new WebhookBodyValue(JsonValueKind.Number, "7100000000123"), values[0]);
        Assert.Equal(new WebhookBodyValue(JsonValueKind.String, "2026-11-23T09:15:30-05:00"), values[1]);
    }

    [Fact]
    public void TopLevel_UnescapesStrings_AndMatchesEscapedNames()
    {
        var values = Read("""{"\u0069d":"caf\u00e9 \"1\""}""");

        Assert.Equal(new WebhookBodyValue(JsonValueKind.String, "café \"1\""), values[0]);
        Assert.Null(values[1]);
    }

    [Theory]
    [InlineData("""{"id":true,"updated_at":null}""")]
    [InlineData("""{"id":{"value":1},"updated_at":[]}""")]
    [InlineData("""{"ID":1,"Updated_At":"2026-11-23"}""")]
    [InlineData("""{}""")]
    public void TopLevel_OtherKindsAndOtherNames_AreAbsent(string json) => Assert.Equal([null, null], Read(json));

    [Theory]
    [InlineData("""[{"id":1}]""")]
    [InlineData("""1""")]
    [InlineData("""{"id":1,""")]
    [InlineData("""{"id":1,"updated_at":"2026-11-23"} trailing""")]
    [InlineData("""{"id":1,"nested":{"a":}}""")]
    [InlineData("""not json""")]
    [InlineData("")]
    public void TopLevel_NotOneWellFormedObject_NamesNothing(string json) => Assert.Equal([null, null], Read(json));

    [Fact]
    public void TopLevel_OfAMemberGivenTwice_TheLastCounts() =>
        Assert.Equal(new WebhookBodyValue(JsonValueKind.Number, "2"), Read("""{"id":1,"id":2}""")[0]);

    [Fact]
    public void TopLevel_AfterAByteOrderMark_ReadsTheBody() =>
        Assert.Equal(new WebhookBodyValue(JsonValueKind.Number, "5"), WebhookBody.TopLevel([0xEF, 0xBB, 0xBF, .. "{\"id\":5}"u8], "id")[0]);

    [Theory]
    [InlineData(JsonValueKind.Number, "123", "123")]
    [InlineData(JsonValueKind.Number, "-4", "-4")]
    [InlineData(JsonValueKind.Number, "1.5", null)]
    [InlineData(JsonValueKind.Number, "1e3", null)]
    [InlineData(JsonValueKind.Number, "2E1", null)]
    [InlineData(JsonValueKind.String, "gid://shopify/Customer/1", "gid://shopify/Customer/1")]
    public void AsId_StringsAndWholeNumbersOnly(JsonValueKind kind, string text, string? expected) =>
        Assert.Equal(expected, new WebhookBodyValue(kind, text).AsId());
}

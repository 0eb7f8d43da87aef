using Connectors.Core.Queue;

namespace Connectors.Azure.Tests.Queue;

public sealed class SyncRequestTests
{
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 11, 23, 10, 15, 0, TimeSpan.FromHours(-5)).AddTicks(42);

    [Fact]
    public void Json_RoundTripsEveryField()
    {
        var request = new SyncRequest("shop-to-crm", "shop.customers", ["1", "two", "ü/3"], "delivery-9", At);

        var read = SyncRequest.FromJson(request.ToJson());

        Assert.Equal(request, read);
        Assert.Equal(request.ReceivedAt.Offset, read.ReceivedAt.Offset);
        Assert.NotEqual(request, read with { RecordIds = ["1", "two"] });
    }

    [Fact]
    public void Json_IsSmall_LeavingOutWhatIsAbsent()
    {
        var json = new SyncRequest("f", null, [], null, At).ToJson();

        Assert.Equal("{\"flow\":\"f\",\"at\":\"2026-11-23T10:15:00.0000042-05:00\"}", json);
    }

    [Theory]
    [InlineData("not json", "JSON object")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("{\"at\":\"2026-11-23T10:15:00Z\"}", "\"flow\"")]
    [InlineData("{\"flow\":\"f\"}", "\"at\"")]
    [InlineData("{\"flow\":\"f\",\"ids\":[1],\"at\":\"2026-11-23T10:15:00Z\"}", "\"ids\"")]
    [InlineData("{\"flow\":\"f\",\"stream\":5,\"at\":\"2026-11-23T10:15:00Z\"}", "\"stream\"")]
    public void FromJson_NotASyncRequest_SaysWhatIsWrong(string json, string mentioned)
    {
        var error = Assert.Throws<FormatException>(() => SyncRequest.FromJson(json));

        Assert.Contains(mentioned, error.Message);
    }

    [Fact]
    public void Split_KeepsEveryIdOnceInOrder()
    {
        var request = new SyncRequest("f", "s", Enumerable.Range(0, 7).Select(i => i.ToString()).ToArray(), "e", At);

        var parts = request.Split(3);

        Assert.Equal([3, 3, 1], parts.Select(p => p.RecordIds.Count));
        Assert.Equal(request.RecordIds, parts.SelectMany(p => p.RecordIds));
        Assert.All(parts, p => Assert.Equal(("f", "s", "e", At), (p.Flow, p.Stream, p.EventId, p.ReceivedAt)));
    }
}

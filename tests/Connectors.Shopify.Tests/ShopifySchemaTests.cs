using Connectors.Core.Schema;
using Connectors.Core.Sync;
using Connectors.Sandbox.Shopify;
using Newtonsoft.Json.Linq;

namespace Connectors.Shopify.Tests;

/// <summary>
/// The Shopify connector's built-in schema describes exactly what its records carry: records read from the
/// emulator through the connector hold no field the schema lacks (nested objects, list items and line items
/// included), every value is of the schema's kind and within its allowed values, and the schema names no
/// field the records never carry. A change to the connector's GraphQL selection that the schema does not
/// follow fails here, so validate never judges mappings against a stale shape.
/// </summary>
public sealed class ShopifySchemaTests
{
    public static TheoryData<string> Streams => ["customers", "orders", "products"];

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task BuiltInSchema_DescribesExactlyTheRecordsTheConnectorReads(string stream)
    {
        await using var shop = await ShopifyHarness.StartAsync(sandboxOptions: new ShopifySandboxOptions { MaximumAvailable = 100_000 });
        shop.Sandbox.Seed(20, seed: 5);
        shop.Sandbox.SeedProducts(10, seed: 5);
        var orders = shop.Sandbox.SeedOrders(30, seed: 5);
        // A cancelled order carries a cancel reason and stamps that the others leave null.
        shop.Sandbox.CancelOrder(orders[3].Id, "INVENTORY");

        var records = (await shop.ReadPagesAsync(Watermark.Start, stream)).SelectMany(p => p.Records).ToList();
        var schema = Assert.Single(ShopifySchemas.BuiltIn, s => s.Name == stream);

        Assert.True(records.Count >= 10, $"{records.Count} {stream} read");
        var problems = new List<string>();
        var carried = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records) Check(record.Data, schema.Fields, "", problems, carried);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Distinct()));
        var neverCarried = Paths(schema.Fields, "").Where(p => !carried.Contains(p)).ToList();
        Assert.True(neverCarried.Count == 0, $"in the schema but in no record read: {string.Join(", ", neverCarried)}");
        Assert.Equal((true, false, false), (schema.CanRead, schema.CanWrite, schema.CustomFields));
    }

    [Fact]
    public async Task DescribeLive_AnswersWithTheBuiltInSchema_WithoutAskingTheShop()
    {
        await using var shop = await ShopifyHarness.StartAsync();

        var orders = await shop.Connector.DescribeLiveAsync("orders", TestContext.Current.CancellationToken);

        Assert.False(shop.Connector.DescribesLive);
        Assert.Same(Assert.Single(ShopifySchemas.BuiltIn, s => s.Name == "orders"), orders);
        Assert.Equal(0, shop.GraphQLRequests);
        Assert.Equal(["customers", "orders", "products"], shop.Connector.BuiltInStreams.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    /// <summary>Checks every property of <paramref name="value"/> against <paramref name="fields"/>, noting each path it carries.</summary>
    private static void Check(JObject value, IReadOnlyList<FieldSchema> fields, string path, List<string> problems, HashSet<string> carried)
    {
        foreach (var property in value.Properties())
        {
            var at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            if (fields.FirstOrDefault(f => f.Name == property.Name) is not { } field)
            {
                problems.Add($"{at} is in the record but not in the schema");
                continue;
            }
            carried.Add(at);
            CheckValue(property.Value, field, at, problems, carried);
        }
    }

    private static void CheckValue(JToken value, FieldSchema field, string at, List<string> problems, HashSet<string> carried)
    {
        if (value.Type == JTokenType.Null) return;
        if (!IsOfKind(value, field.Kind))
        {
            problems.Add($"{at} is {value.Type} in the record but {field.Kind} in the schema");
            return;
        }
        if (field.AllowedValues is { } allowed && value.Type == JTokenType.String && !allowed.Contains((string)value!))
        {
            problems.Add($"{at} is '{value}', which the schema does not allow");
        }
        switch (field.Kind)
        {
            case FieldKind.Object when field.Fields is { } nested:
                Check((JObject)value, nested, at, problems, carried);
                break;
            case FieldKind.List when field.Fields is { } row:
                foreach (var item in (JArray)value)
                {
                    if (item is JObject rowValue) Check(rowValue, row, $"{at}[]", problems, carried);
                    else problems.Add($"{at}[] holds {item.Type}, but the schema describes objects");
                }
                break;
            case FieldKind.List when field.ItemKind is { } itemKind:
                foreach (var item in ((JArray)value).Where(i => !IsOfKind(i, itemKind))) problems.Add($"{at}[] holds {item.Type}, but the schema says {itemKind}");
                break;
            case FieldKind.Object or FieldKind.List:
                problems.Add($"{at} is not described below its own level");
                break;
        }
    }

    private static bool IsOfKind(JToken value, FieldKind kind) => kind switch
    {
        FieldKind.Text => value.Type == JTokenType.String,
        FieldKind.Number => value.Type is JTokenType.Integer or JTokenType.Float,
        FieldKind.Boolean => value.Type == JTokenType.Boolean,
        FieldKind.Date or FieldKind.DateTime => value.Type == JTokenType.Date
            || value.Type == JTokenType.String && DateTimeOffset.TryParse((string)value!, System.Globalization.CultureInfo.InvariantCulture, out _),
        FieldKind.Object => value.Type == JTokenType.Object,
        FieldKind.List => value.Type == JTokenType.Array,
        _ => false,
    };

    private static IEnumerable<string> Paths(IReadOnlyList<FieldSchema> fields, string path)
    {
        foreach (var field in fields)
        {
            var at = path.Length == 0 ? field.Name : $"{path}.{field.Name}";
            yield return at;
            if (field.Fields is null) continue;
            foreach (var nested in Paths(field.Fields, field.Kind == FieldKind.List ? $"{at}[]" : at)) yield return nested;
        }
    }
}

using Connectors.Core.Configuration;
using Connectors.Core.Mapping;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Tests.Mapping;

/// <summary>
/// Rules that compile but cannot map a given record: each failure is a <see cref="MappingException"/>
/// that names the function, the full field path and what it got, and carries the rule's location,
/// because that text is what ends up in the dead letter an integrator reads.
/// </summary>
public sealed class MappingFailureTests
{
    private static readonly SourceLocation At = new("flows/orders.yaml", 14, 7);

    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "function on wrong type", """ "orders_count | lower" """, "Out", "lower expects text but got a number (3)." },
        { "join on text", """ "tags | join" """, "Out", "join expects an array but got a string ('vip, newsletter ,wholesale')." },
        { "to_number of words", """ "first_name | to_number" """, "Out", "to_number could not read a string ('bob') as a number." },
        { "date of a non-ISO text", """ "'01/02/2024' | date" """, "Out", "date expects an ISO-8601 date and time such as '2024-03-01T10:00:00+01:00' but got a string ('01/02/2024')" },
        { "parse_date with the wrong format", """ "'2024-01-15' | parse_date('dd.MM.yyyy')" """, "Out", "parse_date could not read '2024-01-15' with the format 'dd.MM.yyyy'." },
        { "template placeholder is an object", """ "{default_address} x" """, "Out", "a template placeholder expects a single value but got an object." },
        { "ordering an object", """ "default_address > 3" """, "Out", "'>' cannot order an object against a number (3)." },
        { "date of an object", """ "default_address | date" """, "Out", "date expects an ISO-8601 date and time but got an object." },
        { "each over an object", """ { "each": "default_address", "value": "$" } """, "Out", "each expects an array but got an object." },
        { "nested field in a line item", """ { "each": "addresses", "fields": { "City": "city", "Id": "id | upper" } } """, "Out[0].Id", "upper expects text but got a number (1)." },
        { "nested field object", """ { "fields": { "Street": { "fields": { "Zip": "default_address.zip | to_bool" } } } } """, "Out.Street.Zip", "to_bool could not read a string ('40202') as true or false." },
        { "required lookup without link", """ { "lookup": { "flow": "customers-to-crm", "id": "'424242'", "required": true } } """, "Out", "lookup: source id '424242' has no link in flow 'customers-to-crm' yet" },
        { "script throws", """ { "script": "throw new Error('no discount for ' + record.first_name)" } """, "Out", "no discount for bob" },
        { "sha256 of an object", """ "default_address | sha256" """, "Out", "sha256 expects a single value but got an object." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_RuleCannotMapRecord_ThrowsWithFieldPathLocationAndReason(string name, string rule, string field, string reason)
    {
        var mapping = MappingCompiler.Compile([new MappingField("Out", Samples.Parse($$"""{ "r": {{rule}} }""")["r"]!, At)]);

        var error = Assert.Throws<MappingException>(() => mapping.Apply(Samples.Parse(Samples.Customer), Samples.LinkedContext()));

        Assert.Equal(field, error.Field);
        Assert.Equal(At, error.Location);
        Assert.True(error.Reason.Contains(reason, StringComparison.Ordinal), $"{name}: reason was '{error.Reason}'");
        Assert.StartsWith($"flows/orders.yaml:14:7: {field}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_FieldBeforeTheFailingOne_DoesNotLeakIntoAPartialPayload()
    {
        var mapping = MappingCompiler.Compile(new Dictionary<string, string> { ["Name"] = "first_name", ["Count"] = "orders_count | upper" });

        var error = Assert.Throws<MappingException>(() => mapping.Apply(Samples.Parse(Samples.Customer)));

        Assert.Equal("Count", error.Field);
    }

    [Fact]
    public void Apply_LookupWithoutLoadedLinks_IsAProgrammingErrorNotADeadLetter()
    {
        var mapping = MappingCompiler.Compile([new MappingField("Contact", JObject.Parse("""{ "lookup": { "flow": "customers-to-crm", "id": "customer.id" } }"""))]);

        var error = Assert.Throws<InvalidOperationException>(() => mapping.Apply(Samples.Parse(Samples.Order)));

        Assert.Contains("customers-to-crm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_StringFieldHoldingNull_AsRecordsBuiltInCodeHaveIt_IsAbsent_NotACrash()
    {
        var mapping = MappingCompiler.Compile(new Dictionary<string, string> { ["Email"] = "email | email", ["Name"] = "name ?? 'Unknown'" });
        // new JValue((string?)null) is a String-typed token with no value, unlike the JSON literal null.
        var record = new JObject { ["email"] = (string?)null, ["name"] = (string?)null };

        var payload = mapping.Apply(record);

        Assert.True(payload["Email"] is null || payload["Email"]!.Type == JTokenType.Null);
        Assert.Equal("Unknown", (string?)payload["Name"]);
    }

    [Fact]
    public void Apply_DateTypedValueFromALenientReader_IsReadAsItsInstant()
    {
        var mapping = MappingCompiler.Compile(new Dictionary<string, string> { ["Day"] = "created_at | date('yyyy-MM-dd HH:mm', 'Asia/Tokyo')" });
        var record = JsonConvert.DeserializeObject<JObject>("""{ "created_at": "2024-03-31T23:30:00+00:00" }""",
            new JsonSerializerSettings { DateParseHandling = DateParseHandling.DateTimeOffset })!;
        Assert.Equal(JTokenType.Date, record["created_at"]!.Type);

        var payload = mapping.Apply(record);

        Assert.Equal("2024-04-01 08:30", (string?)payload["Day"]);
    }
}

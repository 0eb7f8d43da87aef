using Connectors.Core.Configuration;
using Connectors.Core.Mapping;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Tests.Mapping;

/// <summary>
/// Malformed rules fail at compile time, before any record is read, with the exact target field (nested
/// fields with their parents) and the location the config loader gave, so that <c>validate</c> can print
/// <c>file:line:column</c>.
/// </summary>
public sealed class MappingCompileErrorTests
{
    private static readonly SourceLocation At = new("connectors.yaml", 31, 9);

    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "unknown function with suggestion", """ "email | trimm" """, "Email", "unknown function 'trimm'; did you mean 'trim'? (at position 9 of 'email | trimm')." },
        { "unknown time zone", """ "created_at | date('yyyy', 'Mars/Olympus')" """, "Email", "date: 'Mars/Olympus' is not a known time zone; use an IANA name such as 'Europe/Berlin'" },
        { "unknown phone region", """ "phone | phone('XX')" """, "Email", "phone: 'XX' is not a region with a phone numbering plan" },
        { "unknown culture", """ "total | number('0.00', 'xx-NOPE')" """, "Email", "number: 'xx-NOPE' is not a known culture" },
        { "unknown currency", """ "total | currency('ABC')" """, "Email", "currency: 'ABC' is not an ISO 4217 currency code" },
        { "bad date format", """ "created_at | date('%')" """, "Email", "date: '%' is not a .NET date and time format" },
        { "non-constant format", """ "created_at | date(format_field)" """, "Email", "date: the format (argument 1) must be a quoted constant" },
        { "wrong arity", """ "name | truncate" """, "Email", "truncate takes 1 argument(s) besides its input, as in truncate(length), but was given 0 (at position 8 of 'name | truncate')." },
        { "dangling pipe", """ "email |" """, "Email", "expected a function name after '|' (at position 8 of 'email |')." },
        { "unclosed quote", """ "'unclosed" """, "Email", "the quoted text is not closed (at position 1 of ''unclosed')." },
        { "single equals", """ "a = b" """, "Email", "'=' is not an operator; compare with '==' (at position 3 of 'a = b')." },
        { "double bar", """ "a || b" """, "Email", "'||' is not an operator; write 'or'" },
        { "unclosed placeholder", """ "{first_name {last_name}" """, "Email", "the placeholder opened here is not closed with '}' (at position 1" },
        { "unquoted constant gets a hint", """ "Web Shop" """, "Email", "To write the text itself, quote it: 'Web Shop'." },
        { "empty rule", """ "  " """, "Email", "the rule is empty." },
        { "array rule", """ [1, 2] """, "Email", "write a literal array as {const: [...]}" },
        { "misspelt key of a form", """ { "when": "paid", "thne": "'x'" } """, "Email", "'thne' is not part of a 'when' rule, which takes when, then, else." },
        { "two forms in one object", """ { "map": {}, "lookup": {} } """, "Email", "a rule has one form, but this one has map and lookup" },
        { "map without value", """ { "map": { "a": "b" } } """, "Email", "the rule needs 'value'." },
        { "lookup without id", """ { "lookup": { "flow": "customers-to-crm" } } """, "Email", "'id' must be an expression written as text." },
        { "each with fields and value", """ { "each": "items", "fields": { "a": "b" }, "value": "$" } """, "Email", "each: give the item either 'fields'" },
        { "nested field error names its path", """ { "each": "line_items", "fields": { "Quantity": "quantity | nope" } } """, "Email.Quantity", "unknown function 'nope'" },
        { "deeply nested", """ { "fields": { "Account": { "fields": { "id": { "lookup": { "flow": "a", "id": "x |" } } } } } } """, "Email.Account.id", "id: expected a function name after '|'" },
        { "script syntax error", """ { "script": "let x = ;\nreturn x;" } """, "Email", "script: line 1, column 9" },
        { "when condition error", """ { "when": "status ==", "then": "'x'" } """, "Email", "when: expected a value but the rule ends" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compile_MalformedRule_ThrowsWithExactFieldAndLocation(string name, string rule, string field, string reason)
    {
        var fields = new[] { new MappingField("Email", Samples.Parse($$"""{ "r": {{rule}} }""")["r"]!, At) };

        var error = Assert.Throws<MappingException>(() => MappingCompiler.Compile(fields));

        Assert.Equal(field, error.Field);
        Assert.Equal(At, error.Location);
        Assert.True(error.Reason.Contains(reason, StringComparison.Ordinal), $"{name}: reason was '{error.Reason}'");
        Assert.StartsWith($"connectors.yaml:31:9: {field}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SeveralBadFields_ReportsEachWithItsOwnLocationInOrder()
    {
        MappingField[] fields =
        [
            new("First_Name", new JValue("first_name | title"), new SourceLocation("c.yaml", 10, 5)),
            new("Email", new JValue("email | lowr"), new SourceLocation("c.yaml", 11, 5)),
            new("Phone", new JValue("phone | phone('Narnia')"), new SourceLocation("c.yaml", 12, 5)),
            new("Email", new JValue("email"), new SourceLocation("c.yaml", 13, 5)),
        ];

        var errors = MappingCompiler.Check(fields);

        Assert.Equal(["Email", "Phone", "Email"], errors.Select(e => e.Field));
        Assert.Equal([11, 12, 13], errors.Select(e => e.Location!.Line));
        Assert.Equal("c.yaml:13:5: Email: the field is mapped twice (first at c.yaml:11:5).", errors[2].Message);
    }

    [Fact]
    public void Compile_ValidMapping_ReportsTargetsAndLookupFlows()
    {
        MappingField[] fields =
        [
            new("Subject", new JValue("name")),
            new("Contact_Name", JObject.Parse("""{ "fields": { "id": { "lookup": { "flow": "customers-to-crm", "id": "customer.id" } } } }""")),
            new("Ordered_Items", JObject.Parse("""{ "each": "line_items", "fields": { "Product_Name": { "lookup": { "flow": "products-to-crm", "id": "product_id" } } } }""")),
        ];

        var mapping = MappingCompiler.Compile(fields);

        Assert.Equal(["Subject", "Contact_Name", "Ordered_Items"], mapping.TargetFields);
        Assert.Equal(["customers-to-crm", "products-to-crm"], mapping.LookupFlows);
        Assert.Empty(MappingCompiler.Check(fields));
    }

    [Fact]
    public void Compile_KeyValueShorthand_StillCompilesStringRules()
    {
        var mapping = MappingCompiler.Compile(new Dictionary<string, string> { ["Last_Name"] = "last_name | title", ["Lead_Source"] = "'Shop'" });

        var payload = mapping.Apply(Samples.Parse(Samples.Customer));

        Assert.Equal("""{"Last_Name":"Norman","Lead_Source":"Shop"}""", payload.ToString(Newtonsoft.Json.Formatting.None));
    }
}

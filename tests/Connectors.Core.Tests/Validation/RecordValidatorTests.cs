using Connectors.Core.Configuration;
using Connectors.Core.Mapping;
using Connectors.Core.Validation;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Tests.Validation;

/// <summary>
/// Validation rules on target fields, rule by rule: what passes, and for what fails, the rule, field and
/// offending value an integrator will read in the dead letter.
/// </summary>
public sealed class RecordValidatorTests
{
    public static TheoryData<string, string, string?, string?> Cases => new()
    {
        // rules, payload value (JSON, or null for a missing field), the failing rule (null = passes), message
        { """ "required" """, """ "Ann" """, null, null },
        { """ "required" """, null, "required", "the field has no value." },
        { """ "required" """, """ "   " """, "required", "the field is blank." },
        { """ "required" """, """ [] """, "required", "the list is empty." },
        { """ "email" """, """ "ann@example.com" """, null, null },
        { """ "email" """, null, null, null },
        { """ "email" """, """ "ann@" """, "email", "'ann@' is not an email address." },
        { """ "email" """, """ "Ann <ann@example.com>" """, "email", "'Ann <ann@example.com>' is not an email address." },
        { """ "email" """, """ "ann@localhost" """, "email", "'ann@localhost' is not an email address." },
        { """ "phone" """, """ "+16502530000" """, null, null },
        { """ "phone" """, """ "(650) 253-0000" """, "phone", "'(650) 253-0000' is not a valid phone number in E.164 form (+491701234567); normalize it with phone('XX')." },
        { """ "phone" """, """ "+1555" """, "phone", "'+1555' is not a valid phone number" },
        { """ "phone" """, """ 16502530000 """, "phone", "a number (16502530000) is not a phone number in E.164 form" },
        { """ { "max_length": 5 } """, """ "Norma" """, null, null },
        { """ { "max_length": 5 } """, """ "Norman" """, "max_length", "'Norman' has 6 characters, more than 5." },
        { """ { "max_length": 2 } """, """ [1, 2, 3] """, "max_length", "the list has 3 items, more than 2." },
        { """ { "allowed": ["Web", "Shop"] } """, """ "Shop" """, null, null },
        { """ { "allowed": ["Web", "Shop"] } """, """ "shop" """, "allowed", "'shop' is not one of 'Web', 'Shop'." },
        { """ { "allowed": [1, 2] } """, """ 2 """, null, null },
        { """ { "allowed": ["a", "b"] } """, """ ["a", "c"] """, "allowed", "the list holds a string ('c'), which is not one of 'a', 'b'." },
        { """ { "required": false, "email": true } """, null, null, null },
        { """ ["required", { "max_length": 3 }] """, """ "abcd" """, "max_length", "'abcd' has 4 characters, more than 3." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_Value_PassesOrNamesRuleFieldAndValue(string rules, string? value, string? rule, string? message)
    {
        var validator = ValidationCompiler.Compile([new ValidationField("Field", JToken.Parse(rules))]);
        var payload = new JObject { ["Other"] = 1 };
        if (value is not null) payload["Field"] = JToken.Parse(value);

        var failures = validator.Validate(payload);

        if (rule is null)
        {
            Assert.Empty(failures);
            return;
        }
        var failure = Assert.Single(failures);
        Assert.Equal(("Field", rule), (failure.Field, failure.Rule));
        Assert.True(JToken.DeepEquals(value is null ? null : JToken.Parse(value), failure.Value));
        Assert.True(failure.Message.StartsWith(message!, StringComparison.Ordinal), $"message was '{failure.Message}'");
    }

    [Fact]
    public void Validate_SeveralBrokenRules_ListsEachInConfigOrder()
    {
        var validator = ValidationCompiler.Compile(
        [
            new ValidationField("Email", JToken.Parse("""["required", "email"]""")),
            new ValidationField("Last_Name", JToken.Parse("""{ "required": true, "max_length": 3 }""")),
        ]);

        var failures = validator.Validate(JObject.Parse("""{ "Email": "nope", "Last_Name": "Norman" }"""));

        Assert.Equal(["Email fails email: 'nope' is not an email address.", "Last_Name fails max_length: 'Norman' has 6 characters, more than 3."],
            failures.Select(f => f.ToString()));
    }

    public static TheoryData<string, string> BadRules => new()
    {
        { """ "requird" """, "'requird' is not a validation rule; known rules: required, email, phone, max_length, allowed." },
        { """ "max_length" """, "'max_length' needs a value: write {max_length: …}." },
        { """ { "max_length": "ten" } """, "'max_length' takes a whole number of at least 1." },
        { """ { "allowed": [] } """, "'allowed' takes a non-empty list of values." },
        { """ { "email": "yes" } """, "'email' takes true or false." },
        { """ 42 """, "validation rules are a rule name, an object of rules or a list of them" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public void Compile_MalformedRule_ThrowsWithFieldAndLocation(string rules, string reason)
    {
        var at = new SourceLocation("connectors.yaml", 40, 11);

        var error = Assert.Throws<MappingException>(() => ValidationCompiler.Compile([new ValidationField("Email", JToken.Parse(rules), at)]));

        Assert.Equal(("Email", at), (error.Field, error.Location));
        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith("connectors.yaml:40:11: Email: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RuleOnAFieldTheMappingDoesNotWrite_IsReported()
    {
        var mapping = MappingCompiler.Compile(new Dictionary<string, string> { ["Email"] = "email" });

        var errors = ValidationCompiler.Check(
        [
            new ValidationField("Email", JToken.Parse("\"email\""), new SourceLocation("c.yaml", 20, 7)),
            new ValidationField("Emial", JToken.Parse("\"required\""), new SourceLocation("c.yaml", 21, 7)),
        ], mapping);

        var error = Assert.Single(errors);
        Assert.Equal("c.yaml:21:7: Emial: the mapping does not write this field, so its rules could never pass or fail as meant.", error.Message);
    }

    [Fact]
    public void Compile_FlagsAndNumbersAsText_AreReadAsAYamlLoaderHandsThemOver()
    {
        var validator = ValidationCompiler.Compile([new ValidationField("Last_Name", JToken.Parse("""{ "required": "true", "max_length": "3" }"""))]);

        var failures = validator.Validate(new JObject { ["Last_Name"] = "Norman" });

        Assert.Equal("max_length", Assert.Single(failures).Rule);
    }

    [Fact]
    public void Validate_WithoutRules_PassesEverything() =>
        Assert.Empty(RecordValidator.None.Validate(new JObject { ["Email"] = "nope" }));
}

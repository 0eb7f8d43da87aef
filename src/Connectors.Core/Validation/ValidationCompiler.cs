using Connectors.Core.Mapping;
using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Validation;

/// <summary>
/// Compiles the validation rules declared beside a mapping. Config errors are reported as
/// <see cref="MappingException"/>s, like the mapping's own, naming the field and where it was written.
/// </summary>
public static class ValidationCompiler
{
    private static readonly string[] RuleNames = ["required", "email", "phone", "max_length", "allowed"];

    /// <summary>
    /// Compiles the rules of each field. When <paramref name="mapping"/> is given, a rule on a field the
    /// mapping does not write is an error (most likely a misspelt field name).
    /// </summary>
    /// <exception cref="MappingException">A rule is malformed: the first such. <see cref="Check"/> lists them all.</exception>
    public static RecordValidator Compile(IEnumerable<ValidationField> fields, FieldMapping? mapping = null)
    {
        var (validator, errors) = Build(fields, mapping);
        if (errors.Count > 0) throw errors[0];
        return validator;
    }

    /// <summary>Every error in the rules, in config order; empty when they compile. For <c>validate</c>.</summary>
    public static IReadOnlyList<MappingException> Check(IEnumerable<ValidationField> fields, FieldMapping? mapping = null) =>
        Build(fields, mapping).Errors;

    private static (RecordValidator Validator, IReadOnlyList<MappingException> Errors) Build(IEnumerable<ValidationField> fields, FieldMapping? mapping)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var mapped = mapping is null ? null : new HashSet<string>(mapping.TargetFields, StringComparer.Ordinal);
        var compiled = new List<(string, FieldCheck[])>();
        var errors = new List<MappingException>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            ArgumentNullException.ThrowIfNull(field);
            try
            {
                if (string.IsNullOrWhiteSpace(field.Target)) throw new RuleFailure("a validated field has no target name.");
                if (!seen.Add(field.Target)) throw new RuleFailure("the field's rules are declared twice; declare them once.");
                if (mapped is not null && !mapped.Contains(field.Target))
                {
                    throw new RuleFailure("the mapping does not write this field, so its rules could never pass or fail as meant.");
                }
                compiled.Add((field.Target, [.. Checks(field.Rules)]));
            }
            catch (RuleFailure e)
            {
                errors.Add(new MappingException(field.Target ?? "", field.Location, e.Message));
            }
        }
        return (new RecordValidator([.. compiled]), errors);
    }

    private static IEnumerable<FieldCheck> Checks(JToken? rules)
    {
        switch (rules)
        {
            case JValue { Type: JTokenType.String } name:
                return [Named((string)name.Value!)];
            case JArray list:
                return list.SelectMany(Checks).ToArray();
            case JObject spec:
                return spec.Properties().Select(p => FromProperty(p.Name, p.Value)).OfType<FieldCheck>().ToArray();
            default:
                throw new RuleFailure($"validation rules are a rule name, an object of rules or a list of them; known rules: {string.Join(", ", RuleNames)}.");
        }
    }

    private static FieldCheck Named(string name) => name switch
    {
        "required" => new RequiredCheck(),
        "email" => new EmailCheck(),
        "phone" => new PhoneCheck(),
        "max_length" or "allowed" => throw new RuleFailure($"'{name}' needs a value: write {{{name}: …}}."),
        _ => throw Unknown(name),
    };

    private static FieldCheck? FromProperty(string name, JToken value)
    {
        switch (name)
        {
            case "required" or "email" or "phone":
                if (!Values.TryFlag(value, out var flag)) throw new RuleFailure($"'{name}' takes true or false.");
                return flag ? Named(name) : null;
            case "max_length":
                if (!Values.TryWholeNumber(value, out var limit) || limit is < 1 or > int.MaxValue)
                {
                    throw new RuleFailure("'max_length' takes a whole number of at least 1.");
                }
                return new MaxLengthCheck((int)limit);
            case "allowed":
                if (value is not JArray { Count: > 0 } list || list.Any(v => v is not JValue || v.Type is JTokenType.Null))
                {
                    throw new RuleFailure("'allowed' takes a non-empty list of values.");
                }
                return new AllowedValuesCheck([.. list.Select(Values.ScalarText)]);
            default:
                throw Unknown(name);
        }
    }

    private static RuleFailure Unknown(string name) =>
        new($"'{name}' is not a validation rule; known rules: {string.Join(", ", RuleNames)}.");
}

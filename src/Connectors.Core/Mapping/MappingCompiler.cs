using Connectors.Core.Configuration;
using Connectors.Core.Mapping.Rules;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping;

/// <summary>
/// Compiles a flow's mapping once: every expression is parsed, every function bound to its arguments,
/// every time zone, region and format checked, before the first record is read. The rule grammar is in
/// <c>src/Connectors.Core/Mapping/README.md</c>.
/// </summary>
public static class MappingCompiler
{
    /// <summary>Compiles the fields of a mapping, in order.</summary>
    /// <exception cref="MappingException">A rule is malformed: the first such, naming its field and location. <see cref="Check"/> lists them all.</exception>
    public static FieldMapping Compile(IEnumerable<MappingField> fields, MappingOptions? options = null)
    {
        var (mapping, errors) = Build(fields, options ?? MappingOptions.Default);
        if (errors.Count > 0) throw errors[0];
        return mapping;
    }

    /// <summary>Compiles target-field → expression pairs, in order: a shorthand for string rules without locations.</summary>
    /// <exception cref="MappingException">An expression is malformed; names the target field.</exception>
    public static FieldMapping Compile(IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return Compile(fields.Select(f => new MappingField(f.Key, new JValue(f.Value))));
    }

    /// <summary>Every compile error of a mapping, in config order; empty when it compiles. For <c>validate</c>.</summary>
    public static IReadOnlyList<MappingException> Check(IEnumerable<MappingField> fields, MappingOptions? options = null) =>
        Build(fields, options ?? MappingOptions.Default).Errors;

    private static (FieldMapping Mapping, IReadOnlyList<MappingException> Errors) Build(IEnumerable<MappingField> fields, MappingOptions options)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var compiler = new RuleCompiler(options);
        var rules = new List<FieldRule>();
        var errors = new List<MappingException>();
        var seen = new Dictionary<string, SourceLocation?>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            ArgumentNullException.ThrowIfNull(field);
            if (string.IsNullOrWhiteSpace(field.Target))
            {
                errors.Add(new MappingException(field.Target ?? "", field.Location, "a mapped field has no target name."));
                continue;
            }
            if (!seen.TryAdd(field.Target, field.Location))
            {
                var first = seen[field.Target] is { } at ? $" (first at {at})" : "";
                errors.Add(new MappingException(field.Target, field.Location, $"the field is mapped twice{first}."));
                continue;
            }
            try
            {
                rules.Add(new FieldRule(field.Target, field.Location, compiler.Compile(field.Rule)));
            }
            catch (RuleFailure failure)
            {
                failure.Within(field.Target);
                errors.Add(new MappingException(failure.Path, field.Location, failure.Message, failure));
            }
        }
        return (new FieldMapping([.. rules], compiler.LookupFlows), errors);
    }
}

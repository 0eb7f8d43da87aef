using Newtonsoft.Json.Linq;

namespace Connectors.Core.Validation;

/// <summary>
/// Compiled validation rules on a flow's target fields: checks a mapped payload before it is sent. A
/// payload that breaks a rule is dead-lettered (<c>VALIDATION_FAILED</c>) instead of written. Built by
/// <see cref="ValidationCompiler"/>; immutable and safe to share between threads.
/// </summary>
public sealed class RecordValidator
{
    private static readonly ValidationFailure[] NoFailures = [];

    private readonly (string Field, FieldCheck[] Checks)[] _fields;

    internal RecordValidator((string Field, FieldCheck[] Checks)[] fields) => _fields = fields;

    /// <summary>The validator of a flow without validation rules: every payload passes.</summary>
    public static RecordValidator None { get; } = new([]);

    /// <summary>The target fields that have rules, in config order.</summary>
    public IReadOnlyList<string> Fields => [.. _fields.Select(f => f.Field)];

    /// <summary>Every rule <paramref name="payload"/> breaks, field by field in config order; empty when it passes.</summary>
    public IReadOnlyList<ValidationFailure> Validate(JObject payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        List<ValidationFailure>? failures = null;
        foreach (var (field, checks) in _fields)
        {
            var value = payload[field];
            if (value is not null && value.Type is JTokenType.Null or JTokenType.Undefined) value = null;
            foreach (var check in checks)
            {
                if (check.Problem(value) is { } problem)
                {
                    (failures ??= []).Add(new ValidationFailure(field, check.Name, value, problem));
                }
            }
        }
        return failures ?? (IReadOnlyList<ValidationFailure>)NoFailures;
    }
}

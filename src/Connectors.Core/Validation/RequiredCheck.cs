using Newtonsoft.Json.Linq;

namespace Connectors.Core.Validation;

/// <summary><c>required</c>: the field has a value that is not blank text or an empty list. The other rules let a missing value pass.</summary>
internal sealed class RequiredCheck : FieldCheck
{
    /// <inheritdoc />
    public override string Name => "required";

    /// <inheritdoc />
    public override string? Problem(JToken? value) => value switch
    {
        null => "the field has no value.",
        JValue { Value: string text } when string.IsNullOrWhiteSpace(text) => "the field is blank.",
        JArray { Count: 0 } => "the list is empty.",
        _ => null,
    };
}

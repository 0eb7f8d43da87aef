using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Validation;

/// <summary><c>max_length: n</c>: text has at most n characters (a list at most n items), as the target's field limit says.</summary>
/// <param name="limit">The most characters or items allowed.</param>
internal sealed class MaxLengthCheck(int limit) : FieldCheck
{
    /// <inheritdoc />
    public override string Name => "max_length";

    /// <inheritdoc />
    public override string? Problem(JToken? value)
    {
        switch (value)
        {
            case null:
                return null;
            case JArray list:
                return list.Count <= limit ? null : $"the list has {list.Count} items, more than {limit}.";
            case JValue scalar:
                var text = Values.ScalarText(scalar);
                return text.Length <= limit ? null : $"{Values.Quote(text)} has {text.Length} characters, more than {limit}.";
            default:
                return $"{Values.Describe(value)} has no length.";
        }
    }
}

using System.Collections.Frozen;
using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Validation;

/// <summary>
/// <c>allowed: [A, B]</c>: the value is one of a fixed list (a picklist); for a list value (a
/// multi-select), every item is. Compared as invariant text, case-sensitively, as picklists are.
/// </summary>
internal sealed class AllowedValuesCheck : FieldCheck
{
    private readonly FrozenSet<string> _allowed;
    private readonly string _shown;

    /// <summary>Creates the check for the given values.</summary>
    public AllowedValuesCheck(IReadOnlyCollection<string> allowed)
    {
        _allowed = allowed.ToFrozenSet(StringComparer.Ordinal);
        _shown = string.Join(", ", allowed.Take(10).Select(Values.Quote)) + (allowed.Count > 10 ? $" and {allowed.Count - 10} more" : "");
    }

    /// <inheritdoc />
    public override string Name => "allowed";

    /// <inheritdoc />
    public override string? Problem(JToken? value)
    {
        switch (value)
        {
            case null:
                return null;
            case JArray list:
                foreach (var item in list)
                {
                    if (item is not JValue scalar || !_allowed.Contains(Values.ScalarText(scalar)))
                    {
                        return $"the list holds {Values.Describe(item)}, which is not one of {_shown}.";
                    }
                }
                return null;
            case JValue scalar:
                var text = Values.ScalarText(scalar);
                return _allowed.Contains(text) ? null : $"{Values.Quote(text)} is not one of {_shown}.";
            default:
                return $"{Values.Describe(value)} is not one of {_shown}.";
        }
    }
}

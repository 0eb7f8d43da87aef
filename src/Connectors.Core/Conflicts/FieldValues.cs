using Newtonsoft.Json.Linq;

namespace Connectors.Core.Conflicts;

/// <summary>
/// How two-way flows compare field values. No value, JSON <c>null</c> and blank text are one and the
/// same value, because vendors spell "empty" differently (Zoho answers <c>null</c>, Business Central
/// an empty string): without that, every empty field would look changed on one side.
/// </summary>
public static class FieldValues
{
    /// <summary>Whether <paramref name="value"/> is no value: missing, <c>null</c> or blank text.</summary>
    public static bool IsEmpty(JToken? value) =>
        value is null || value.Type is JTokenType.Null or JTokenType.Undefined
        || (value.Type == JTokenType.String && string.IsNullOrWhiteSpace((string?)value));

    /// <summary>Whether two values are the same value (see the type's remarks on empties; numbers by value, text exactly).</summary>
    public static bool Same(JToken? left, JToken? right)
    {
        var leftEmpty = IsEmpty(left);
        var rightEmpty = IsEmpty(right);
        if (leftEmpty || rightEmpty) return leftEmpty && rightEmpty;
        return JToken.DeepEquals(left, right);
    }

    /// <summary>The value as stored in a snapshot: <see langword="null"/> for no value, a copy otherwise.</summary>
    public static JToken? Snapshot(JToken? value) => IsEmpty(value) ? null : value!.DeepClone();
}

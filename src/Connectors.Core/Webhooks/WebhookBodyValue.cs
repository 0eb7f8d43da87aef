using System.Text.Json;

namespace Connectors.Core.Webhooks;

/// <summary>A top-level member of a webhook body: a string (unescaped) or a number (its text as sent).</summary>
/// <param name="Kind"><see cref="JsonValueKind.String"/> or <see cref="JsonValueKind.Number"/>.</param>
/// <param name="Text">The string's value, or the number's JSON text.</param>
public readonly record struct WebhookBodyValue(JsonValueKind Kind, string Text)
{
    /// <summary>The value as a record id: a string as it is, a whole number as written, and nothing for a number with a fraction or an exponent.</summary>
    public string? AsId() => Kind switch
    {
        JsonValueKind.String => Text,
        JsonValueKind.Number when Text.AsSpan().IndexOfAny('.', 'e', 'E') < 0 => Text,
        _ => null,
    };
}

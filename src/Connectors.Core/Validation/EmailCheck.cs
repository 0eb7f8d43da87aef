using Connectors.Core.Mapping.Expressions;
using Connectors.Core.Mapping.Functions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Validation;

/// <summary><c>email</c>: the value is one bare email address whose domain has a dot (no display name, no spaces).</summary>
internal sealed class EmailCheck : FieldCheck
{
    /// <inheritdoc />
    public override string Name => "email";

    /// <inheritdoc />
    public override string? Problem(JToken? value)
    {
        if (value is null) return null;
        if (value.Type != JTokenType.String) return $"{Values.Describe(value)} is not an email address.";
        var text = (string)((JValue)value).Value!;
        return EmailFunctions.IsAddress(text, out var address) && address == text
            ? null
            : $"{Values.Quote(text)} is not an email address.";
    }
}

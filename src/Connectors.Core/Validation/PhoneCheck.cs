using Connectors.Core.Mapping.Expressions;
using Connectors.Core.Mapping.Functions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Validation;

/// <summary><c>phone</c>: the value is a valid phone number written in E.164 (<c>+493012345678</c>): a plus and digits only.</summary>
internal sealed class PhoneCheck : FieldCheck
{
    /// <inheritdoc />
    public override string Name => "phone";

    /// <inheritdoc />
    public override string? Problem(JToken? value)
    {
        if (value is null) return null;
        if (value.Type != JTokenType.String) return $"{Values.Describe(value)} is not a phone number in E.164 form (+491701234567).";
        var text = (string)((JValue)value).Value!;
        return PhoneFunctions.ToE164(text, "ZZ") == text
            ? null
            : $"{Values.Quote(text)} is not a valid phone number in E.164 form (+491701234567); normalize it with phone('XX').";
    }
}

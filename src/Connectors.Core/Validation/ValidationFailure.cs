using Newtonsoft.Json.Linq;

namespace Connectors.Core.Validation;

/// <summary>One rule a mapped payload breaks.</summary>
/// <param name="Field">The target field.</param>
/// <param name="Rule">The rule's name: <c>required</c>, <c>email</c>, <c>phone</c>, <c>max_length</c>, <c>allowed</c>.</param>
/// <param name="Value">The offending value; <see langword="null"/> when the field has none.</param>
/// <param name="Message">What is wrong with the value, in words, with the value in it.</param>
public sealed record ValidationFailure(string Field, string Rule, JToken? Value, string Message)
{
    /// <summary>The failure as one line for a dead letter: <c>Email fails email: 'ann@' is not an email address.</c></summary>
    public override string ToString() => $"{Field} fails {Rule}: {Message}";
}

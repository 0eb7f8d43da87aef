using Connectors.Core.Configuration;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Validation;

/// <summary>The validation rules of one target field as written beside a mapping, before they are compiled.</summary>
/// <param name="Target">The target field the rules check, as the mapping names it.</param>
/// <param name="Rules">
/// An object (<c>{required: true, email: true, max_length: 80, allowed: [A, B]}</c>), one rule name
/// (<c>required</c>), or a list of either (<c>[required, phone]</c>). Rules: <c>required</c>, <c>email</c>,
/// <c>phone</c> (E.164), <c>max_length</c>, <c>allowed</c>.
/// </param>
/// <param name="Location">Where the rules were written, for error messages; <see langword="null"/> when unknown.</param>
public sealed record ValidationField(string Target, JToken Rules, SourceLocation? Location = null);

using Connectors.Core.Configuration;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping;

/// <summary>One target field of a mapping as written in a config, before it is compiled.</summary>
/// <param name="Target">The target field's name, as the target system spells it.</param>
/// <param name="Rule">
/// The rule: a string expression (<c>email | trim | lower</c>), a scalar constant, or an object for the
/// structured forms (<c>when</c>, <c>map</c>, <c>each</c>, <c>fields</c>, <c>lookup</c>, <c>script</c>, <c>const</c>).
/// The grammar is in <c>src/Connectors.Core/Mapping/README.md</c>.
/// </param>
/// <param name="Location">Where the rule was written, for error messages; <see langword="null"/> when unknown.</param>
public sealed record MappingField(string Target, JToken Rule, SourceLocation? Location = null);

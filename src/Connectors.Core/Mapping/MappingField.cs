using Connectors.Core.Configuration;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping;

/// <summary>One target field's rule as written in a config, before compilation.</summary>
/// <param name="Target">The target field's name.</param>
/// <param name="Rule">The rule: a string expression, or an object for the structured forms.</param>
/// <param name="Location">Where the rule was written, when it came from a file.</param>
public sealed record MappingField(string Target, JToken Rule, SourceLocation? Location);

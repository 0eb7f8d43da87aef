using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping;

/// <summary>One compiled rule: how to compute one target field from a source record.</summary>
/// <param name="Target">The target field's name.</param>
/// <param name="Expression">The rule as written in the config, for messages.</param>
/// <param name="Evaluate">The compiled rule; returns <see langword="null"/> for "no value".</param>
public sealed record FieldRule(string Target, string Expression, Func<JObject, JToken?> Evaluate);

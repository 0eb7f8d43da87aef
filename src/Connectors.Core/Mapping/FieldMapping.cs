using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping;

/// <summary>A compiled mapping: turns a source record's fields into a target payload without re-parsing anything.</summary>
public sealed class FieldMapping
{
    private readonly FieldRule[] _rules;

    /// <summary>Creates a mapping from compiled rules; see <see cref="MappingCompiler"/>.</summary>
    public FieldMapping(IEnumerable<FieldRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = [.. rules];
    }

    /// <summary>The target fields this mapping writes.</summary>
    public IEnumerable<string> TargetFields => _rules.Select(r => r.Target);

    /// <summary>Maps one record. Fields whose rule yields no value are left out of the payload.</summary>
    /// <exception cref="MappingException">A rule failed on this record; names the target field.</exception>
    public JObject Apply(JObject source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var payload = new JObject();
        foreach (var rule in _rules)
        {
            JToken? value;
            try
            {
                value = rule.Evaluate(source);
            }
            catch (Exception e) when (e is not MappingException)
            {
                throw new MappingException(rule.Target, $"'{rule.Expression}' failed: {e.Message}", e);
            }
            if (value is not null && value.Type != JTokenType.Null)
            {
                payload[rule.Target] = value;
            }
        }
        return payload;
    }
}

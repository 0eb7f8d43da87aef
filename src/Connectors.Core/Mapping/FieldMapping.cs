using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping;

/// <summary>
/// A compiled mapping: turns a source record into a target payload without re-parsing anything. Built by
/// <see cref="MappingCompiler"/>; immutable and safe to share between threads.
/// </summary>
public sealed class FieldMapping
{
    private readonly FieldRule[] _rules;
    private readonly string[] _targets;
    private readonly string[] _lookupFlows;

    internal FieldMapping(FieldRule[] rules, IEnumerable<string> lookupFlows)
    {
        _rules = rules;
        _targets = [.. rules.Select(r => r.Target)];
        _lookupFlows = [.. lookupFlows];
    }

    /// <summary>The target fields this mapping writes, in config order.</summary>
    public IReadOnlyList<string> TargetFields => _targets;

    /// <summary>The compiled top-level rules, in config order, for static checks.</summary>
    internal IReadOnlyList<FieldRule> Rules => _rules;

    /// <summary>The flows whose links the mapping's lookups read; empty when it has none.</summary>
    public IReadOnlyList<string> LookupFlows => _lookupFlows;

    /// <summary>Maps one record of a mapping without lookups. Fields whose rule yields no value are left out.</summary>
    /// <exception cref="MappingException">A rule failed on this record; names the target field.</exception>
    public JObject Apply(JObject source) => Apply(source, MappingContext.Empty);

    /// <summary>Maps one record, answering lookups from <paramref name="context"/>. Fields whose rule yields no value are left out.</summary>
    /// <exception cref="MappingException">A rule failed on this record; names the target field (<c>Ordered_Items[2].Quantity</c>).</exception>
    public JObject Apply(JObject source, MappingContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var scope = new Scope(source, source, context);
        var payload = new JObject();
        foreach (var rule in _rules)
        {
            JToken? value;
            try
            {
                value = rule.Rule.Evaluate(scope);
            }
            catch (RuleFailure failure)
            {
                failure.Within(rule.Target);
                throw new MappingException(failure.Path, rule.Location, failure.Message, failure);
            }
            if (value is not null) payload.Add(rule.Target, value);
        }
        return payload;
    }

    /// <summary>
    /// The source ids the lookups will ask for when mapping <paramref name="sources"/>, by looked-up flow.
    /// A record whose lookup ids cannot be computed is passed over here; mapping it reports why.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> LookupIds(IEnumerable<JObject> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var ids = new LookupIdSet();
        if (_lookupFlows.Length > 0)
        {
            foreach (var source in sources)
            {
                var scope = new Scope(source, source, MappingContext.Empty);
                foreach (var rule in _rules)
                {
                    try
                    {
                        rule.Rule.CollectLookups(scope, ids);
                    }
                    catch (RuleFailure)
                    {
                        // Apply fails this record with the same reason and dead-letters it.
                    }
                }
            }
        }
        return ids.ByFlow.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value, StringComparer.Ordinal);
    }
}

using Connectors.Core.Conflicts;
using Connectors.Core.Flows;
using Connectors.Core.Mapping;
using Connectors.Core.Sync.TwoWay;
using Connectors.Core.Validation;

namespace Connectors.Core.Configuration;

/// <summary>An installation's whole config: its systems and the flows between them.</summary>
/// <param name="File">The file it was loaded from.</param>
/// <param name="Systems">The systems by name.</param>
/// <param name="Flows">The flows by name, in the order written.</param>
public sealed record ConnectorConfig(string File, IReadOnlyDictionary<string, SystemConfig> Systems, IReadOnlyList<FlowConfig> Flows)
{
    /// <summary>The flow named <paramref name="name"/>.</summary>
    /// <exception cref="ConfigException">No such flow; the message lists the ones there are.</exception>
    public FlowConfig Flow(string name) =>
        Flows.FirstOrDefault(f => f.Name == name)
        ?? throw new ConfigException([new ConfigError(new SourceLocation(File, 1, 1), name, null,
            $"no flow of that name; the config has: {string.Join(", ", Flows.Select(f => f.Name))}.")]);

    /// <summary>Compiles a flow's mapping and validation rules once, for running it.</summary>
    /// <exception cref="ConfigException">A rule does not compile; every error names its field and location.</exception>
    public Flow Compile(FlowConfig flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var errors = MappingCompiler.Check(flow.Fields)
            .Select(e => new ConfigError(e.Location ?? flow.Location, flow.Name, e.Field, e.Reason))
            .ToList();
        if (errors.Count > 0) throw new ConfigException(errors);
        var mapping = MappingCompiler.Compile(flow.Fields);
        errors.AddRange(ValidationCompiler.Check(flow.Validate, mapping)
            .Select(e => new ConfigError(e.Location ?? flow.Location, flow.Name, e.Field, e.Reason)));
        if (errors.Count > 0) throw new ConfigException(errors);
        return new Flow(flow.Name, flow.From, flow.To, mapping, flow.Match)
        {
            Validation = ValidationCompiler.Compile(flow.Validate, mapping),
            Writes = flow.Writes,
        };
    }

    /// <summary>Compiles a two-way flow: both mappings once, its conflict rules with owners resolved to sides.</summary>
    /// <exception cref="ConfigException">The flow is not two-way, or a mapping does not compile; each error names its field and location.</exception>
    public TwoWayFlow CompileTwoWay(FlowConfig flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        if (flow.Direction != FlowDirection.TwoWay)
        {
            throw new ConfigException([new ConfigError(flow.Location, flow.Name, null, "the flow is one-way; a two-way run needs 'direction: two-way'.")]);
        }
        var errors = new List<ConfigError>();
        var forward = CompileRules(flow, flow.Fields, errors);
        var reverse = CompileRules(flow, flow.Reverse, errors);
        if (errors.Count > 0) throw new ConfigException(errors);
        var rules = flow.Conflicts is not { } conflicts ? ConflictRules.Default : new ConflictRules(
            conflicts.Policy,
            conflicts.Owners.ToDictionary(o => o.Key, o => o.Value == "left" || (o.Value != "right" && o.Value == flow.From.System) ? FlowSide.Left : FlowSide.Right,
                StringComparer.Ordinal),
            conflicts.Fields,
            conflicts.Skew);
        return new TwoWayFlow(flow.Name, flow.From, flow.To, forward!, reverse!, flow.Match, rules, flow.Duplicates);
    }

    private static FieldMapping? CompileRules(FlowConfig flow, IReadOnlyList<MappingField> fields, List<ConfigError> errors)
    {
        var found = MappingCompiler.Check(fields)
            .Select(e => new ConfigError(e.Location ?? flow.Location, flow.Name, e.Field, e.Reason))
            .ToList();
        errors.AddRange(found);
        return found.Count > 0 ? null : MappingCompiler.Compile(fields);
    }
}

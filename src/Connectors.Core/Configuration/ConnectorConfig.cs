using Connectors.Core.Flows;
using Connectors.Core.Mapping;

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

    /// <summary>Compiles a flow's mapping once, for running it.</summary>
    /// <exception cref="ConfigException">The mapping does not compile; each error names its field and location.</exception>
    public Flow Compile(FlowConfig flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var errors = new List<ConfigError>();
        var rules = new List<KeyValuePair<string, string>>();
        foreach (var field in flow.Fields)
        {
            if (field.Rule.Type != Newtonsoft.Json.Linq.JTokenType.String)
            {
                errors.Add(new ConfigError(field.Location ?? flow.Location, flow.Name, field.Target, "a rule must be an expression string."));
                continue;
            }
            rules.Add(new(field.Target, (string)field.Rule!));
        }
        FieldMapping? mapping = null;
        try
        {
            mapping = MappingCompiler.Compile(rules);
        }
        catch (MappingException e)
        {
            var location = flow.Fields.FirstOrDefault(f => f.Target == e.Field)?.Location ?? flow.Location;
            errors.Add(new ConfigError(location, flow.Name, e.Field, e.Reason));
        }
        if (errors.Count > 0) throw new ConfigException(errors);
        return new Flow(flow.Name, flow.From, flow.To, mapping!, flow.Match);
    }
}

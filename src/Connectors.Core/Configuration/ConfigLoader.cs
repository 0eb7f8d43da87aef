using System.Text.RegularExpressions;
using Connectors.Core.Conflicts;
using Connectors.Core.Flows;
using Connectors.Core.Mapping;
using Connectors.Core.Sync.TwoWay;
using Connectors.Core.Validation;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Connectors.Core.Configuration;

/// <summary>
/// Reads a config file (YAML). Every problem found is reported at once, each with its file, line and
/// column, so that an integrator fixes a config in one pass rather than one error per run.
/// </summary>
public static partial class ConfigLoader
{
    private static readonly HashSet<string> TopLevelKeys = ["version", "systems", "flows", "defaults"];
    private static readonly HashSet<string> SystemKeys = ["type", "settings"];
    private static readonly HashSet<string> FlowKeys = ["from", "to", "direction", "match", "mapping", "reverse", "validate", "conflicts", "duplicates", "schedule", "reconcile", "webhooks"];
    private static readonly HashSet<string> ConflictKeys = ["policy", "owners", "fields", "skew"];

    /// <summary>Loads and checks the config at <paramref name="path"/>.</summary>
    /// <exception cref="ConfigException">The file is missing or wrong; lists every error.</exception>
    public static ConnectorConfig Load(string path, ISecretResolver secrets)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!System.IO.File.Exists(path))
        {
            throw new ConfigException([new ConfigError(new SourceLocation(path, 1, 1), null, null, "the config file does not exist.")]);
        }
        return Parse(System.IO.File.ReadAllText(path), path, secrets);
    }

    /// <summary>Parses config text; <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="ConfigException">The text is not a valid config; lists every error.</exception>
    public static ConnectorConfig Parse(string yaml, string file, ISecretResolver secrets)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(secrets);
        var reader = new Reader(file, secrets);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigException([new ConfigError(new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column), null, null,
                $"this is not valid YAML: {e.InnerException?.Message ?? e.Message}")]);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConfigException([new ConfigError(new SourceLocation(file, 1, 1), null, null,
                "the config must be a mapping with 'systems' and 'flows'.")]);
        }
        var config = reader.Read(root);
        if (reader.Errors.Count > 0) throw new ConfigException(reader.Errors);
        return config;
    }

    [GeneratedRegex(@"\$\{(?<kind>env|secret):(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();

    private sealed class Reader(string file, ISecretResolver secrets)
    {
        public List<ConfigError> Errors { get; } = [];

        public ConnectorConfig Read(YamlMappingNode root)
        {
            CheckKeys(root, TopLevelKeys, null, "top level");
            var systems = new Dictionary<string, SystemConfig>(StringComparer.Ordinal);
            if (Child(root, "systems") is { } systemsNode)
            {
                if (systemsNode is YamlMappingNode map)
                {
                    foreach (var (key, value) in map.Children)
                    {
                        if (ReadSystem(key, value) is { } system) systems[system.Name] = system;
                    }
                }
                else Error(systemsNode, null, null, "'systems' must map system names to their type and settings.");
            }
            else Error(root, null, null, "the config has no 'systems'.");

            var flows = new List<FlowConfig>();
            if (Child(root, "flows") is { } flowsNode)
            {
                if (flowsNode is YamlMappingNode map)
                {
                    foreach (var (key, value) in map.Children)
                    {
                        if (ReadFlow(key, value, systems) is { } flow) flows.Add(flow);
                    }
                }
                else Error(flowsNode, null, null, "'flows' must map flow names to flows.");
            }
            else Error(root, null, null, "the config has no 'flows'.");
            return new ConnectorConfig(file, systems, flows);
        }

        private SystemConfig? ReadSystem(YamlNode key, YamlNode node)
        {
            var name = Scalar(key);
            if (node is not YamlMappingNode map)
            {
                Error(node, null, name, "a system needs 'type' and 'settings'.");
                return null;
            }
            CheckKeys(map, SystemKeys, null, $"system '{name}'");
            var type = Child(map, "type") is YamlScalarNode t ? t.Value ?? "" : "";
            if (type.Length == 0) Error(map, null, name, "the system has no 'type'.");
            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Child(map, "settings") is YamlMappingNode settingsNode)
            {
                foreach (var (settingKey, settingValue) in settingsNode.Children)
                {
                    var settingName = Scalar(settingKey);
                    if (settingValue is not YamlScalarNode scalar)
                    {
                        Error(settingValue, null, $"{name}.{settingName}", "a setting must be a single value.");
                        continue;
                    }
                    if (Resolve(scalar, $"{name}.{settingName}") is { } resolved) settings[settingName] = resolved;
                }
            }
            return new SystemConfig(name, type, settings, At(key));
        }

        private FlowConfig? ReadFlow(YamlNode key, YamlNode node, Dictionary<string, SystemConfig> systems)
        {
            var name = Scalar(key);
            if (node is not YamlMappingNode map)
            {
                Error(node, name, null, "a flow needs 'from', 'to' and 'mapping'.");
                return null;
            }
            CheckKeys(map, FlowKeys, name, $"flow '{name}'");
            var from = Stream(map, "from", name, systems);
            var to = Stream(map, "to", name, systems);
            var match = new List<string>();
            switch (Child(map, "match"))
            {
                case YamlSequenceNode sequence:
                    match.AddRange(sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? ""));
                    break;
                case YamlScalarNode single:
                    match.Add(single.Value ?? "");
                    break;
                case null:
                    break;
                case var other:
                    Error(other, name, "match", "'match' is a field name or a list of field names.");
                    break;
            }
            var fields = new List<MappingField>();
            if (Child(map, "mapping") is { } mappingNode)
            {
                fields.AddRange(Rules(mappingNode, name, "mapping"));
            }
            else Error(map, name, null, "the flow has no 'mapping'.");

            var direction = FlowDirection.OneWay;
            switch (Child(map, "direction"))
            {
                case null:
                    break;
                case YamlScalarNode { Value: "two-way" }:
                    direction = FlowDirection.TwoWay;
                    break;
                case YamlScalarNode { Value: "one-way" }:
                    break;
                case var other:
                    Error(other, name, "direction", "'direction' is one-way or two-way.");
                    break;
            }
            var reverse = new List<MappingField>();
            if (Child(map, "reverse") is { } reverseNode)
            {
                if (direction == FlowDirection.TwoWay) reverse.AddRange(Rules(reverseNode, name, "reverse"));
                else Error(reverseNode, name, "reverse", "'reverse' belongs to two-way flows; add 'direction: two-way' or remove it.");
            }
            else if (direction == FlowDirection.TwoWay)
            {
                Error(map, name, "reverse", "a two-way flow needs a 'reverse' mapping: left fields from right fields.");
            }
            ConflictsConfig? conflicts = null;
            if (Child(map, "conflicts") is { } conflictsNode)
            {
                if (direction == FlowDirection.TwoWay) conflicts = ReadConflicts(conflictsNode, name, from, to, fields);
                else Error(conflictsNode, name, "conflicts", "'conflicts' belongs to two-way flows; add 'direction: two-way' or remove it.");
            }
            var duplicates = DuplicateRule.LinkOldest;
            switch (Child(map, "duplicates"))
            {
                case null:
                    break;
                case YamlScalarNode { Value: "link-oldest" } when direction == FlowDirection.TwoWay:
                    duplicates = DuplicateRule.LinkOldest;
                    break;
                case YamlScalarNode when direction != FlowDirection.TwoWay:
                    Error(Child(map, "duplicates")!, name, "duplicates", "'duplicates' belongs to two-way flows; add 'direction: two-way' or remove it.");
                    break;
                case var other:
                    Error(other, name, "duplicates", "'duplicates' is link-oldest (link the oldest record, report the others).");
                    break;
            }
            var validate = new List<ValidationField>();
            switch (Child(map, "validate"))
            {
                case YamlMappingNode rules:
                    validate.AddRange(rules.Children.Select(r => new ValidationField(Scalar(r.Key), ToJson(r.Value), At(r.Value))));
                    break;
                case null:
                    break;
                case var other:
                    Error(other, name, "validate", "'validate' maps target fields to their rules.");
                    break;
            }
            if (from is null || to is null) return null;
            return new FlowConfig(name, from, to, match, fields, At(key), validate)
            {
                Direction = direction,
                Reverse = reverse,
                Conflicts = conflicts,
                Duplicates = duplicates,
            };
        }

        private List<MappingField> Rules(YamlNode node, string flow, string section)
        {
            var rules = new List<MappingField>();
            if (node is YamlMappingNode mapping)
            {
                foreach (var (fieldKey, rule) in mapping.Children)
                {
                    rules.Add(new MappingField(Scalar(fieldKey), ToJson(rule), At(rule)));
                }
            }
            else
            {
                Error(node, flow, null, section == "mapping" ? "'mapping' maps target fields to rules." : "'reverse' maps left fields to rules over right fields.");
            }
            return rules;
        }

        private ConflictsConfig? ReadConflicts(YamlNode node, string flow, StreamRef? from, StreamRef? to, List<MappingField> mapped)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, flow, "conflicts", "'conflicts' holds policy, owners, fields and skew.");
                return null;
            }
            CheckKeys(map, ConflictKeys, flow, "conflicts");
            var targets = mapped.Select(f => f.Target).ToHashSet(StringComparer.Ordinal);
            var policy = ConflictPolicy.Merge;
            if (Child(map, "policy") is { } policyNode)
            {
                if (policyNode is YamlScalarNode { Value: var text } && ConflictRules.Parse(text) is { } parsed) policy = parsed;
                else Error(policyNode, flow, "conflicts.policy", "the policy is one of source-wins, target-wins, newest-wins, merge, manual.");
            }
            var owners = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Child(map, "owners") is { } ownersNode)
            {
                foreach (var (field, owner) in Pairs(ownersNode, flow, "conflicts.owners", "field to the system that owns it"))
                {
                    var system = Scalar(owner);
                    if (!targets.Contains(Scalar(field)))
                    {
                        Error(field, flow, Scalar(field), $"owners name fields of the mapping (right-side fields); the mapping writes: {string.Join(", ", targets)}.");
                    }
                    else if (system is not ("left" or "right") && system != from?.System && system != to?.System)
                    {
                        Error(owner, flow, Scalar(field), $"the owner is one of this flow's systems ({from?.System}, {to?.System}), or left or right.");
                    }
                    else if (system == from?.System && system == to?.System)
                    {
                        Error(owner, flow, Scalar(field), "both sides of this flow are the same system: name the owner left or right.");
                    }
                    else owners[Scalar(field)] = system;
                }
            }
            var fields = new Dictionary<string, ConflictPolicy>(StringComparer.Ordinal);
            if (Child(map, "fields") is { } fieldsNode)
            {
                foreach (var (field, value) in Pairs(fieldsNode, flow, "conflicts.fields", "field to its own policy"))
                {
                    var parsed = ConflictRules.Parse(Scalar(value));
                    if (!targets.Contains(Scalar(field)))
                    {
                        Error(field, flow, Scalar(field), $"field policies name fields of the mapping (right-side fields); the mapping writes: {string.Join(", ", targets)}.");
                    }
                    else if (parsed is null or ConflictPolicy.Merge)
                    {
                        Error(value, flow, Scalar(field), "a field's policy is one of source-wins, target-wins, newest-wins, manual.");
                    }
                    else fields[Scalar(field)] = parsed.Value;
                }
            }
            var skew = TimeSpan.Zero;
            if (Child(map, "skew") is { } skewNode)
            {
                if (skewNode is YamlScalarNode { Value: { } text } && Duration(text) is { } parsed && parsed >= TimeSpan.Zero) skew = parsed;
                else Error(skewNode, flow, "conflicts.skew", "the skew is a duration such as 00:00:05 or 5s.");
            }
            return new ConflictsConfig(policy, owners, fields, skew, At(node));
        }

        private IEnumerable<(YamlNode Key, YamlNode Value)> Pairs(YamlNode node, string flow, string what, string shape)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, flow, what, $"'{what}' maps each {shape}.");
                return [];
            }
            return map.Children.Select(c => (c.Key, c.Value));
        }

        private static TimeSpan? Duration(string text)
        {
            text = text.Trim();
            if (text.EndsWith("ms", StringComparison.Ordinal)
                && double.TryParse(text[..^2], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ms))
            {
                return TimeSpan.FromMilliseconds(ms);
            }
            if (text.EndsWith('s')
                && double.TryParse(text[..^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }
            return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span) ? span : null;
        }

        private StreamRef? Stream(YamlMappingNode map, string key, string flow, Dictionary<string, SystemConfig> systems)
        {
            if (Child(map, key) is not YamlScalarNode node || string.IsNullOrEmpty(node.Value))
            {
                Error(map, flow, key, $"the flow has no '{key}' stream (write it as system.stream).");
                return null;
            }
            StreamRef stream;
            try
            {
                stream = StreamRef.Parse(node.Value);
            }
            catch (FormatException e)
            {
                Error(node, flow, key, e.Message);
                return null;
            }
            if (!systems.ContainsKey(stream.System))
            {
                Error(node, flow, key, $"unknown system '{stream.System}'; the config declares: {string.Join(", ", systems.Keys)}.");
                return null;
            }
            return stream;
        }

        private string? Resolve(YamlScalarNode node, string setting)
        {
            var text = node.Value ?? "";
            var ok = true;
            var resolved = Reference().Replace(text, m =>
            {
                var value = secrets.Resolve(m.Groups["kind"].Value, m.Groups["name"].Value);
                if (value is null)
                {
                    ok = false;
                    Error(node, null, setting, $"the reference {m.Value} does not resolve: set the environment variable {m.Groups["name"].Value}.");
                    return "";
                }
                return value;
            });
            return ok ? resolved : null;
        }

        private void CheckKeys(YamlMappingNode map, HashSet<string> known, string? flow, string where)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = Scalar(key);
                if (!known.Contains(name))
                {
                    Error(key, flow, name, $"unknown key in {where}; expected one of: {string.Join(", ", known)}.");
                }
            }
        }

        private static YamlNode? Child(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        private static string Scalar(YamlNode node) => node is YamlScalarNode s ? s.Value ?? "" : node.ToString();

        private JToken ToJson(YamlNode node) => node switch
        {
            YamlScalarNode scalar => new JValue(scalar.Value),
            YamlSequenceNode sequence => new JArray(sequence.Children.Select(ToJson)),
            YamlMappingNode mapping => new JObject(mapping.Children.Select(c => new JProperty(Scalar(c.Key), ToJson(c.Value)))),
            _ => JValue.CreateNull(),
        };

        private SourceLocation At(YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

        private void Error(YamlNode node, string? flow, string? field, string message) => Errors.Add(new ConfigError(At(node), flow, field, message));
    }
}

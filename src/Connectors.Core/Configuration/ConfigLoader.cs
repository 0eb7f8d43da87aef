using System.Text.RegularExpressions;
using Connectors.Core.Flows;
using Connectors.Core.Mapping;
using Connectors.Core.Reconciliation;
using Connectors.Core.Validation;
using Cronos;
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
    private static readonly HashSet<string> FlowKeys = ["from", "to", "match", "mapping", "validate", "schedule", "reconcile", "webhooks"];
    private static readonly HashSet<string> ReconcileKeys = ["schedule", "deletes", "flagField", "bulkAbove", "creditBudget", "targetRecordUrl", "sourceRecordUrl"];

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
                if (mappingNode is YamlMappingNode mapping)
                {
                    foreach (var (fieldKey, rule) in mapping.Children)
                    {
                        fields.Add(new MappingField(Scalar(fieldKey), ToJson(rule), At(rule)));
                    }
                }
                else Error(mappingNode, name, null, "'mapping' maps target fields to rules.");
            }
            else Error(map, name, null, "the flow has no 'mapping'.");
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
            var reconcile = Child(map, "reconcile") is { } reconcileNode ? ReadReconcile(reconcileNode, name) : null;
            if (from is null || to is null) return null;
            return new FlowConfig(name, from, to, match, fields, At(key), validate) { Reconciliation = reconcile };
        }

        /// <summary>
        /// <c>reconcile: { schedule, deletes, flagField, bulkAbove, creditBudget, targetRecordUrl, sourceRecordUrl }</c>,
        /// or just a schedule (<c>reconcile: "0 0 2 * * *"</c>).
        /// </summary>
        private ReconcileConfig? ReadReconcile(YamlNode node, string flow)
        {
            if (node is YamlScalarNode)
            {
                return new ReconcileConfig(At(node)) { Schedule = Cron(node, flow, "reconcile") };
            }
            if (node is not YamlMappingNode map)
            {
                Error(node, flow, "reconcile", "'reconcile' is a schedule, or a mapping with schedule, deletes, flagField, bulkAbove, creditBudget.");
                return null;
            }
            CheckKeys(map, ReconcileKeys, flow, $"the reconcile block of flow '{flow}'");
            var deletes = DeletePolicy.Ignore;
            if (Child(map, "deletes") is { } deletesNode)
            {
                switch (Scalar(deletesNode))
                {
                    case "ignore": deletes = DeletePolicy.Ignore; break;
                    case "flag": deletes = DeletePolicy.Flag; break;
                    case "delete": deletes = DeletePolicy.Delete; break;
                    default:
                        Error(deletesNode, flow, "reconcile.deletes", $"'{Scalar(deletesNode)}' is not a delete policy: write ignore, flag or delete.");
                        break;
                }
            }
            var flagField = Child(map, "flagField") is { } flagNode ? Scalar(flagNode) : null;
            if (deletes == DeletePolicy.Flag && string.IsNullOrWhiteSpace(flagField))
            {
                Error(Child(map, "deletes")!, flow, "reconcile.flagField", "deletes: flag needs 'flagField', the target field to set on a record whose source was deleted.");
            }
            return new ReconcileConfig(At(map))
            {
                Schedule = Child(map, "schedule") is { } schedule ? Cron(schedule, flow, "reconcile.schedule") : null,
                Deletes = deletes,
                FlagField = flagField,
                BulkAbove = Positive(map, "bulkAbove", flow),
                CreditBudget = Positive(map, "creditBudget", flow),
                TargetRecordUrl = UrlTemplate(map, "targetRecordUrl", flow),
                SourceRecordUrl = UrlTemplate(map, "sourceRecordUrl", flow),
            };
        }

        private string? Cron(YamlNode node, string flow, string field)
        {
            var text = Scalar(node);
            try
            {
                CronExpression.Parse(text, CronFormat.IncludeSeconds);
                return text;
            }
            catch (CronFormatException e)
            {
                var hint = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 5 ? " It has 5 fields: add the seconds in front (\"0 0 2 * * *\" runs at 02:00)." : "";
                Error(node, flow, field, $"'{text}' is not a 6-field NCRONTAB expression ({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}): {e.Message}{hint}");
                return null;
            }
        }

        private long? Positive(YamlMappingNode map, string key, string flow)
        {
            if (Child(map, key) is not { } node) return null;
            if (long.TryParse(Scalar(node), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0) return value;
            Error(node, flow, $"reconcile.{key}", $"'{key}' is a whole number above zero; it is '{Scalar(node)}'.");
            return null;
        }

        private string? UrlTemplate(YamlMappingNode map, string key, string flow)
        {
            if (Child(map, key) is not YamlScalarNode node) return null;
            var text = Resolve(node, $"reconcile.{key}") ?? "";
            if (text.Contains("{id}", StringComparison.Ordinal) && Uri.TryCreate(text.Replace("{id}", "1", StringComparison.Ordinal), UriKind.Absolute, out _)) return text;
            Error(node, flow, $"reconcile.{key}", $"'{key}' is an absolute URL with {{id}} where the record id goes.");
            return null;
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

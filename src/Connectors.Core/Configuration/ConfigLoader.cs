using System.Text.RegularExpressions;
using Connectors.Core.Conflicts;
using Connectors.Core.Flows;
using Connectors.Core.Mapping;
using Connectors.Core.Sync.TwoWay;
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
    private static readonly HashSet<string> FlowKeys = ["from", "to", "direction", "match", "mapping", "reverse", "validate", "conflicts", "duplicates", "schedule", "reconcile", "webhooks", "writes"];
    private static readonly HashSet<string> ConflictKeys = ["policy", "owners", "fields", "skew"];
    private static readonly HashSet<string> ReconcileKeys = ["schedule", "repair", "deletes", "flagField", "bulkAbove", "creditBudget", "targetRecordUrl", "sourceRecordUrl"];

    /// <summary>Loads and checks the config at <paramref name="path"/>.</summary>
    /// <param name="path">The config file.</param>
    /// <param name="secrets">Resolves <c>${env:…}</c> and <c>${secret:…}</c> references.</param>
    /// <param name="defaults">The default mappings flows may <c>use</c>; none when <see langword="null"/>.</param>
    /// <exception cref="ConfigException">The file is missing or wrong; lists every error.</exception>
    public static ConnectorConfig Load(string path, ISecretResolver secrets, DefaultMappingCatalog? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!System.IO.File.Exists(path))
        {
            throw new ConfigException([new ConfigError(new SourceLocation(path, 1, 1), null, null, "the config file does not exist.")]);
        }
        return Parse(System.IO.File.ReadAllText(path), path, secrets, defaults);
    }

    /// <summary>Parses config text; <paramref name="file"/> names it in errors.</summary>
    /// <param name="yaml">The config text.</param>
    /// <param name="file">The file's name, for locations.</param>
    /// <param name="secrets">Resolves <c>${env:…}</c> and <c>${secret:…}</c> references.</param>
    /// <param name="defaults">The default mappings flows may <c>use</c>; none when <see langword="null"/>.</param>
    /// <exception cref="ConfigException">The text is not a valid config; lists every error.</exception>
    public static ConnectorConfig Parse(string yaml, string file, ISecretResolver secrets, DefaultMappingCatalog? defaults = null)
    {
        var reading = Read(yaml, file, secrets, defaults);
        if (reading.Errors.Count > 0) throw new ConfigException(reading.Errors);
        return reading.Config!;
    }

    /// <summary>
    /// Reads config text without throwing: every error found, and as much of the config as could be read
    /// (systems and flows with errors of their own are left out or partial), so that <c>validate</c> can go
    /// on to check the rest. <see cref="ConfigReading.Config"/> is <see langword="null"/> when the text is not a YAML mapping.
    /// </summary>
    public static ConfigReading Read(string yaml, string file, ISecretResolver secrets, DefaultMappingCatalog? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(secrets);
        var reader = new Reader(file, secrets, defaults ?? DefaultMappingCatalog.Empty);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            return new ConfigReading(null, [new ConfigError(new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column), null, null,
                $"this is not valid YAML: {e.InnerException?.Message ?? e.Message}")]);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return new ConfigReading(null, [new ConfigError(new SourceLocation(file, 1, 1), null, null,
                "the config must be a mapping with 'systems' and 'flows'.")]);
        }
        var config = reader.Read(root);
        return new ConfigReading(config, reader.Errors);
    }

    [GeneratedRegex(@"\$\{(?<kind>env|secret):(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();

    private sealed class Reader(string file, ISecretResolver secrets, DefaultMappingCatalog defaults)
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
            var unresolved = new List<string>();
            if (Child(map, "settings") is YamlMappingNode settingsNode)
            {
                foreach (var (settingKey, settingValue) in settingsNode.Children)
                {
                    var settingName = Scalar(settingKey);
                    if (settingValue is not YamlScalarNode scalar)
                    {
                        Error(settingValue, null, $"{name}.{settingName}", "a setting must be a single value.");
                        unresolved.Add(settingName);
                        continue;
                    }
                    if (Resolve(scalar, $"{name}.{settingName}") is { } resolved) settings[settingName] = resolved;
                    else unresolved.Add(settingName);
                }
            }
            return new SystemConfig(name, type, settings, At(key)) { UnresolvedSettings = unresolved };
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
            string? defaultName = null;
            SourceLocation? mappingAt = null;
            if (Child(map, "mapping") is { } mappingNode)
            {
                mappingAt = At(mappingNode);
                if (mappingNode is YamlMappingNode mapping)
                {
                    if (Child(mapping, "use") is { } use)
                    {
                        defaultName = Scalar(use);
                        fields.AddRange(WithDefaults(mapping, use, name, from, to, systems));
                    }
                    else
                    {
                        foreach (var (fieldKey, rule) in mapping.Children)
                        {
                            fields.Add(new MappingField(Scalar(fieldKey), ToJson(rule), At(rule)));
                        }
                    }
                }
                else Error(mappingNode, name, null, "'mapping' maps target fields to rules, or names a default mapping with 'use'.");
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
            var writes = WriteMode.CreateOrUpdate;
            switch (Child(map, "writes"))
            {
                case null:
                    break;
                case YamlScalarNode when direction == FlowDirection.TwoWay:
                    Error(Child(map, "writes")!, name, "writes", "'writes' belongs to one-way flows: a two-way flow creates on both sides what the other lacks.");
                    break;
                case YamlScalarNode { Value: "create-or-update" }:
                    break;
                case YamlScalarNode { Value: "update-only" } updateOnly:
                    writes = WriteMode.UpdateOnly;
                    if (match.Count == 0)
                    {
                        Error(updateOnly, name, "writes", "'writes: update-only' needs 'match': the target fields that find the record to update.");
                    }
                    break;
                case var other:
                    Error(other, name, "writes", "'writes' is create-or-update (the default) or update-only (never create; a record the match fields do not find is dead-lettered).");
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
            var schedule = Cron(map, "schedule", name);
            var reconcile = Child(map, "reconcile") is { } reconcileNode ? ReadReconcile(reconcileNode, name) : null;
            var webhooks = Flag(map, "webhooks", name);
            if (from is null || to is null) return null;
            return new FlowConfig(name, from, to, match, fields, At(key), validate)
            {
                Schedule = schedule,
                Reconcile = reconcile?.Schedule,
                Reconciliation = reconcile,
                Webhooks = webhooks,
                FromLocation = At(Child(map, "from")!),
                ToLocation = At(Child(map, "to")!),
                MappingLocation = mappingAt,
                DefaultMapping = defaultName,
                Direction = direction,
                Reverse = reverse,
                Conflicts = conflicts,
                Duplicates = duplicates,
                Writes = writes,
            };
        }

        /// <summary>A 6-field NCRONTAB expression (seconds first, as Azure Functions timers read it), or null when absent or wrong.</summary>
        private string? Cron(YamlMappingNode map, string key, string flow)
        {
            switch (Child(map, key))
            {
                case null:
                    return null;
                case YamlScalarNode { Value: { Length: > 0 } text } node:
                    try
                    {
                        CronExpression.Parse(text, CronFormat.IncludeSeconds);
                        return text;
                    }
                    catch (CronFormatException e)
                    {
                        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
                        var hint = fields == 5 ? " It has 5 fields: add the seconds in front (\"0 */15 * * * *\" runs every 15 minutes)." : "";
                        Error(node, flow, key, $"'{text}' is not a 6-field NCRONTAB expression ({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}): {e.Message}{hint}");
                        return null;
                    }
                case var other:
                    Error(other, flow, key, $"'{key}' is a 6-field NCRONTAB expression such as \"0 */15 * * * *\".");
                    return null;
            }
        }

        private bool Flag(YamlMappingNode map, string key, string flow, string? field = null)
        {
            switch (Child(map, key))
            {
                case null:
                    return false;
                case YamlScalarNode { Value: "true" or "True" or "yes" }:
                    return true;
                case YamlScalarNode { Value: "false" or "False" or "no" }:
                    return false;
                case var other:
                    Error(other, flow, field ?? key, $"'{key}' is true or false.");
                    return false;
            }
        }

        /// <summary>
        /// <c>mapping: { use: NAME, fields: { … } }</c>: the default mapping's fields, each override
        /// replacing the field of the same name where it stands or adding a new one at the end, and an
        /// override of <c>~</c> leaving the default's field out. The default's fields are located at the
        /// <c>use</c> line, where an integrator can act on them.
        /// </summary>
        private List<MappingField> WithDefaults(YamlMappingNode mapping, YamlNode use, string flow, StreamRef? from, StreamRef? to,
            Dictionary<string, SystemConfig> systems)
        {
            foreach (var key in mapping.Children.Keys.Where(k => Scalar(k) is not ("use" or "fields")))
            {
                Error(key, flow, Scalar(key), $"'{Scalar(key)}' is beside 'use', where only 'fields' may stand: put field overrides under 'fields'.");
            }
            var name = Scalar(use);
            if (use is not YamlScalarNode || name.Length == 0)
            {
                Error(use, flow, "use", "'use' names a default mapping.");
                return [];
            }
            if (defaults.Find(name) is not { } chosen)
            {
                var known = defaults.Names.Count == 0 ? "none are installed" : $"the installed ones are: {string.Join(", ", defaults.Names)}";
                var suggestion = Mapping.Functions.FunctionLibrary.Closest(name, defaults.Names) is { } close ? $"did you mean '{close}'? " : "";
                Error(use, flow, "use", $"there is no default mapping '{name}'; {suggestion}{known}.");
                return [];
            }
            CheckPair(chosen, use, flow, from, to, systems);
            var at = At(use);
            var fields = chosen.Fields.Select(f => f with { Location = at }).ToList();
            switch (Child(mapping, "fields"))
            {
                case null:
                    break;
                case YamlMappingNode overrides:
                    foreach (var (fieldKey, rule) in overrides.Children)
                    {
                        var target = Scalar(fieldKey);
                        var index = fields.FindIndex(f => f.Target == target);
                        if (YamlJson.IsNull(rule))
                        {
                            if (index < 0) Error(fieldKey, flow, target, $"'{target}: ~' leaves out a field of the default mapping, but '{name}' does not map '{target}'; its fields are: {string.Join(", ", chosen.Fields.Select(f => f.Target))}.");
                            else fields.RemoveAt(index);
                            continue;
                        }
                        var field = new MappingField(target, ToJson(rule), At(rule));
                        if (index >= 0) fields[index] = field;
                        else fields.Add(field);
                    }
                    break;
                case var other:
                    Error(other, flow, "fields", "'fields' maps target fields to rules that replace or add to the default mapping's.");
                    break;
            }
            return fields;
        }

        private void CheckPair(DefaultMapping chosen, YamlNode use, string flow, StreamRef? from, StreamRef? to, Dictionary<string, SystemConfig> systems)
        {
            if (from is null || to is null) return;
            var fromType = systems[from.System].Type;
            var toType = systems[to.System].Type;
            var fits = string.Equals(chosen.From.System, fromType, StringComparison.OrdinalIgnoreCase) && chosen.From.Stream == from.Stream
                && string.Equals(chosen.To.System, toType, StringComparison.OrdinalIgnoreCase) && chosen.To.Stream == to.Stream;
            if (!fits)
            {
                Error(use, flow, "use", $"the default mapping '{chosen.Name}' maps {chosen.From.System} {chosen.From.Stream} to {chosen.To.System} {chosen.To.Stream}, "
                    + $"but this flow goes from {from} ({fromType}) to {to} ({toType}).");
            }
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

        /// <summary>
        /// <c>reconcile: { schedule, repair, deletes, flagField, bulkAbove, creditBudget, targetRecordUrl, sourceRecordUrl }</c>,
        /// or just a schedule (<c>reconcile: "0 0 2 * * *"</c>).
        /// </summary>
        private ReconcileConfig? ReadReconcile(YamlNode node, string flow)
        {
            if (node is YamlScalarNode)
            {
                return new ReconcileConfig(At(node)) { Schedule = CronText(node, flow, "reconcile") };
            }
            if (node is not YamlMappingNode map)
            {
                Error(node, flow, "reconcile", "'reconcile' is a schedule, or a mapping with schedule, repair, deletes, flagField, bulkAbove, creditBudget; a schedule is a 6-field NCRONTAB expression such as \"0 30 2 * * *\".");
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
                Schedule = Child(map, "schedule") is { } schedule ? CronText(schedule, flow, "reconcile.schedule") : null,
                Repair = Flag(map, "repair", flow, "reconcile.repair"),
                Deletes = deletes,
                FlagField = flagField,
                BulkAbove = Positive(map, "bulkAbove", flow),
                CreditBudget = Positive(map, "creditBudget", flow),
                TargetRecordUrl = UrlTemplate(map, "targetRecordUrl", flow),
                SourceRecordUrl = UrlTemplate(map, "sourceRecordUrl", flow),
            };
        }

        private string? CronText(YamlNode node, string flow, string field)
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

        private static string Scalar(YamlNode node) => YamlJson.Scalar(node);

        private static JToken ToJson(YamlNode node) => YamlJson.ToJson(node);

        private SourceLocation At(YamlNode node) => YamlJson.At(file, node);

        private void Error(YamlNode node, string? flow, string? field, string message) => Errors.Add(new ConfigError(At(node), flow, field, message));
    }
}

using Connectors.Core.Connectors;
using Connectors.Core.Flows;
using Connectors.Core.Mapping;
using Connectors.Core.Mapping.Expressions;
using Connectors.Core.Mapping.Functions;
using Connectors.Core.Schema;
using Connectors.Core.Validation;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Configuration;

/// <summary>
/// <c>connectors validate</c>: everything that can be known about a config before a record is read.
/// Loads it (every loader error), compiles every flow (every mapping and validation error), and checks
/// each flow's fields against its streams' schemas — the target system's live metadata when it can be
/// asked, else the connector's built-in schema, and says which: unknown streams and fields, functions
/// applied to values of the wrong kind, mandatory fields never mapped, picklist values the target does
/// not allow. Every error names its file, line, column, flow and field.
/// </summary>
/// <remarks>
/// Errors and warnings: against a complete schema (live metadata, or a built-in schema that is the connector's
/// own selection) a field the schema lacks is an error. A built-in schema that lists a vendor's standard fields
/// only (<see cref="StreamSchema.CustomFields"/>) cannot know an org's custom fields, so while the system could
/// not be asked a target field it lacks is a warning that says so; everything else it can judge (kinds,
/// picklists, mandatory fields, read-only fields) stays an error. A flow that only updates
/// (<see cref="WriteMode.UpdateOnly"/>) never creates, so the target's mandatory fields are not required of it.
/// </remarks>
public sealed class ConfigCheck
{
    private readonly ISystemCatalog _catalog;
    private readonly DefaultMappingCatalog _defaults;
    private readonly List<ConfigError> _errors = [];
    private readonly List<ConfigWarning> _warnings = [];
    private readonly List<SchemaUse> _uses = [];
    private readonly Dictionary<string, SystemConnection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), Described> _streams = [];

    private ConfigCheck(ISystemCatalog catalog, DefaultMappingCatalog defaults)
    {
        _catalog = catalog;
        _defaults = defaults;
    }

    /// <summary>Checks config text; <paramref name="file"/> names it in errors.</summary>
    /// <param name="yaml">The config text.</param>
    /// <param name="file">The file's name, for locations.</param>
    /// <param name="secrets">Resolves <c>${env:…}</c> and <c>${secret:…}</c> references; one that does not resolve is an error.</param>
    /// <param name="defaults">The default mappings flows may <c>use</c>.</param>
    /// <param name="catalog">The system types, their built-in schemas, and connectors to ask live.</param>
    /// <param name="cancellationToken">Cancels the live metadata calls.</param>
    public static async Task<ConfigCheckReport> RunAsync(string yaml, string file, ISecretResolver secrets, DefaultMappingCatalog defaults,
        ISystemCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(defaults);
        var check = new ConfigCheck(catalog, defaults);
        var reading = ConfigLoader.Read(yaml, file, secrets, defaults);
        check._errors.AddRange(reading.Errors);
        if (reading.Config is { } config)
        {
            foreach (var system in config.Systems.Values)
            {
                // A system whose settings did not resolve was reported by the loader; building it would
                // only say the same thing again in the options' words.
                if (system.UnresolvedSettings.Count > 0) continue;
                var connection = catalog.Connect(system);
                check._connections[system.Name] = connection;
                check._errors.AddRange(connection.Errors);
            }
            foreach (var flow in config.Flows)
            {
                await check.CheckFlowAsync(config, flow, cancellationToken).ConfigureAwait(false);
            }
        }
        return new ConfigCheckReport(file, InFileOrder(check._errors, e => e.Location), check._uses, reading.Config?.Flows.Count ?? 0)
        {
            Warnings = InFileOrder(check._warnings, w => w.Location),
        };
    }

    private static List<T> InFileOrder<T>(IEnumerable<T> found, Func<T, SourceLocation> location) =>
        [.. found.Select((e, i) => (e, i))
            .OrderBy(p => location(p.e).Line).ThenBy(p => location(p.e).Column).ThenBy(p => p.i)
            .Select(p => p.e)
            .Distinct()];

    private async Task CheckFlowAsync(ConnectorConfig config, FlowConfig flow, CancellationToken cancellationToken)
    {
        var source = await StreamAsync(config.Systems[flow.From.System], flow.From.Stream, cancellationToken).ConfigureAwait(false);
        var target = await StreamAsync(config.Systems[flow.To.System], flow.To.Stream, cancellationToken).ConfigureAwait(false);
        CheckStream(config, flow, flow.From, source, flow.FromLocation ?? flow.Location, reading: true);
        CheckStream(config, flow, flow.To, target, flow.ToLocation ?? flow.Location, reading: false);

        var compileErrors = MappingCompiler.Check(flow.Fields);
        foreach (var e in compileErrors) Error(e.Location ?? flow.Location, flow, e.Field, e.Reason);
        if (compileErrors.Count > 0) return;
        var mapping = MappingCompiler.Compile(flow.Fields);
        foreach (var e in ValidationCompiler.Check(flow.Validate, mapping)) Error(e.Location ?? flow.Location, flow, e.Field, e.Reason);

        var record = source.Schema is { } from ? new FieldSchema("$root", FieldKind.Object) { Fields = from.Fields } : null;
        foreach (var rule in mapping.Rules)
        {
            var at = rule.Location ?? flow.Location;
            var scope = new ShapeScope(record);
            var shape = rule.Rule.Infer(scope);
            foreach (var (path, problem) in scope.Problems)
            {
                Error(at, flow, path.Length == 0 ? rule.Target : $"{rule.Target}.{path}", problem);
            }
            if (target.Schema is not { } to) continue;
            if (to.Field(rule.Target) is { } field)
            {
                if (field.ReadOnly) Error(at, flow, rule.Target, $"{flow.To} does not take values for {rule.Target}: it is read-only{Typed(field)}. Leave it out of the mapping.");
                else Compare(shape, field, rule.Target, at, flow);
            }
            else if (target.MayHaveOtherFields)
            {
                Warning(at, flow, rule.Target, NotStandard(flow, rule.Target, to));
            }
            else
            {
                Error(at, flow, rule.Target, $"{flow.To} has no field '{rule.Target}'{Suggest(rule.Target, to.Fields)}");
            }
        }
        // A default mapping that does not exist was reported; what it would have mapped cannot be judged.
        var mappingKnown = flow.DefaultMapping is null || _defaults.Find(flow.DefaultMapping) is not null;
        if (target.Schema is not null && mappingKnown) CheckRequiredAndMatch(flow, target, mapping);
    }

    private void CheckRequiredAndMatch(FlowConfig flow, Described target, FieldMapping mapping)
    {
        var schema = target.Schema!;
        var mapped = mapping.TargetFields.ToHashSet(StringComparer.Ordinal);
        var at = flow.MappingLocation ?? flow.Location;
        // An update-only flow never creates, and an update needs no mandatory field it does not change.
        var required = flow.Writes == WriteMode.UpdateOnly ? [] : schema.Fields.Where(f => f.Required && !f.ReadOnly && !mapped.Contains(f.Name));
        foreach (var field in required)
        {
            var fix = flow.DefaultMapping is null ? "add it to the mapping" : "add it under the mapping's 'fields'";
            Error(at, flow, field.Name, $"{flow.To} requires {field.Name} on every record (it is mandatory{Typed(field)}), but the mapping never writes it; {fix}.");
        }
        foreach (var key in flow.Match)
        {
            var known = schema.Field(key) is not null;
            if (!known && !target.MayHaveOtherFields)
            {
                Error(flow.Location, flow, key, $"the match field '{key}' is not a field of {flow.To}{Suggest(key, schema.Fields)}");
            }
            else if (!mapped.Contains(key))
            {
                Error(flow.Location, flow, key, $"the match field '{key}' is not mapped, so a record not linked yet could never be matched by it; map it or leave it out of 'match'.");
            }
            // Mapped but not a standard field: the mapping's own warning says it could not be checked.
        }
    }

    /// <summary>The warning for a target field a standard-fields-only built-in schema does not list.</summary>
    private static string NotStandard(FlowConfig flow, string name, StreamSchema schema)
    {
        var close = FunctionLibrary.Closest(name, schema.Fields.Select(f => f.Name)) is { } suggestion ? $" (did you mean '{suggestion}'?)" : "";
        return $"'{name}' is not a standard field of {flow.To}{close} and could not be checked offline ({flow.To.System} could not be asked for its own "
            + $"fields); fine if it is a custom field of the org: validate with {flow.To.System} reachable to check it.";
    }

    private void CheckStream(ConnectorConfig config, FlowConfig flow, StreamRef stream, Described described, SourceLocation at, bool reading)
    {
        var system = config.Systems[stream.System];
        if (described.Origin == SchemaOrigin.None) return;
        if (described.Schema is null)
        {
            var known = Known(system);
            Error(at, flow, reading ? "from" : "to", $"unknown stream '{stream.Stream}': system '{system.Name}' ({system.Type}) has no such stream"
                + (known.Count > 0 ? $"; its streams: {string.Join(", ", known)}." : "."));
            return;
        }
        if (reading && !described.Schema.CanRead)
        {
            Error(at, flow, "from", $"the {system.Type} connector does not read stream '{stream.Stream}' (yet); streams it reads: {string.Join(", ", Known(system, read: true))}.");
        }
        if (!reading && !described.Schema.CanWrite)
        {
            var writable = Known(system, read: false);
            Error(at, flow, "to", $"the {system.Type} connector does not write stream '{stream.Stream}'"
                + (writable.Count > 0 ? $"; streams it writes: {string.Join(", ", writable)}." : "; it only reads."));
        }
    }

    private List<string> Known(SystemConfig system, bool? read = null) =>
        [.. (BuiltIn(system) ?? []).Where(s => read is null || (read.Value ? s.CanRead : s.CanWrite)).Select(s => s.Name)];

    private IReadOnlyList<StreamSchema>? BuiltIn(SystemConfig system) =>
        _connections.GetValueOrDefault(system.Name)?.Describer?.BuiltInStreams ?? _catalog.BuiltInStreams(system.Type);

    /// <summary>The schema of one stream, asked once per check: live when the system can be asked, else built in.</summary>
    private async Task<Described> StreamAsync(SystemConfig system, string stream, CancellationToken cancellationToken)
    {
        if (_streams.TryGetValue((system.Name, stream), out var known)) return known;
        var result = await DescribeAsync(system, stream, cancellationToken).ConfigureAwait(false);
        _streams[(system.Name, stream)] = result;
        return result;
    }

    private async Task<Described> DescribeAsync(SystemConfig system, string stream, CancellationToken cancellationToken)
    {
        var builtIn = BuiltIn(system);
        if (builtIn is null) return Use(system, stream, null, SchemaOrigin.None, $"unknown system type '{system.Type}'");
        var describer = _connections.GetValueOrDefault(system.Name)?.Describer;
        string why;
        if (describer is { DescribesLive: true })
        {
            try
            {
                var live = await describer.DescribeLiveAsync(stream, cancellationToken).ConfigureAwait(false);
                return Use(system, stream, live, SchemaOrigin.Live, null);
            }
            catch (ConnectorException e)
            {
                why = $"the system could not be asked: {e.Message}";
            }
        }
        else
        {
            why = system.UnresolvedSettings.Count > 0 || _connections.GetValueOrDefault(system.Name)?.Errors.Count > 0
                ? "the system's settings have errors, so it was not asked"
                : describer is null ? "the connector cannot describe its streams live" : "the connector's fields are fixed by what it reads";
        }
        if (builtIn.Count == 0) return Use(system, stream, null, SchemaOrigin.None, $"the {system.Type} connector ships no schema");
        var schema = builtIn.FirstOrDefault(s => s.Name == stream);
        // A custom module the built-in schema cannot know is not an error while the system cannot be asked.
        if (schema is null && describer is { DescribesLive: true })
        {
            return Use(system, stream, null, SchemaOrigin.None, $"the built-in schema does not describe it and {why}");
        }
        return Use(system, stream, schema, SchemaOrigin.BuiltIn, why);
    }

    private Described Use(SystemConfig system, string stream, StreamSchema? schema, SchemaOrigin origin, string? why)
    {
        _uses.Add(new SchemaUse(system.Name, system.Type, stream, origin, why));
        return new Described(schema, origin);
    }

    /// <summary>Checks what a rule gives against the target field it is written to, nested fields and rows included.</summary>
    private void Compare(Shape shape, FieldSchema target, string path, SourceLocation at, FlowConfig flow)
    {
        switch (target.Kind)
        {
            case FieldKind.Object:
                if (shape.Kind is { } given && given != FieldKind.Object)
                {
                    var example = target.Fields?.FirstOrDefault(f => !f.ReadOnly)?.Name ?? "id";
                    Error(at, flow, path, $"{path} is {Shape.Describe(FieldKind.Object)}{Typed(target)} in {flow.To}, but the rule gives {Shape.Describe(given)}; "
                        + $"build it with {{ fields: {{ {example}: … }} }}.");
                    return;
                }
                if (shape.Members is { } members) CompareMembers(members, target, path, at, flow);
                return;
            case FieldKind.List:
                if (shape.Kind is { } listGiven && listGiven != FieldKind.List)
                {
                    Error(at, flow, path, $"{path} is {Shape.Describe(FieldKind.List)}{Typed(target)} in {flow.To}, but the rule gives {Shape.Describe(listGiven)}"
                        + (target.Fields is not null ? "; build its rows with { each: …, fields: { … } }." : "; build it with { each: …, value: … } or split."));
                    return;
                }
                if (shape.Item is not { } item) return;
                if (target.Fields is not null)
                {
                    var row = new FieldSchema($"{target.Name}[]", FieldKind.Object) { Fields = target.Fields, VendorType = target.VendorType };
                    Compare(item, row, $"{path}[]", at, flow);
                }
                else if (target.AllowedValues is not null || target.ItemKind is not null)
                {
                    Compare(item, new FieldSchema($"{target.Name}[]", target.ItemKind ?? FieldKind.Text) { AllowedValues = target.AllowedValues }, $"{path}[]", at, flow);
                }
                return;
            default:
                if (shape.Kind is FieldKind.Object or FieldKind.List)
                {
                    Error(at, flow, path, $"{path} takes {Shape.Describe(target.Kind)}{Typed(target)} in {flow.To}, but the rule gives {Shape.Describe(shape.Kind.Value)}"
                        + (shape.Kind == FieldKind.List ? "; take one item with | first, or join them with | join(', ')." : "; pick one of its fields with a path."));
                    return;
                }
                if (shape.Kind == FieldKind.Boolean && target.Kind is FieldKind.Number or FieldKind.Date or FieldKind.DateTime
                    || target.Kind == FieldKind.Boolean && shape.Kind is FieldKind.Number or FieldKind.Date or FieldKind.DateTime)
                {
                    Error(at, flow, path, $"{path} takes {Shape.Describe(target.Kind)}{Typed(target)} in {flow.To}, but the rule gives {Shape.Describe(shape.Kind!.Value)}.");
                    return;
                }
                CompareConstants(shape, target, path, at, flow);
                return;
        }
    }

    private void CompareMembers(IReadOnlyList<KeyValuePair<string, Shape>> members, FieldSchema target, string path, SourceLocation at, FlowConfig flow)
    {
        if (target.Fields is null) return;
        foreach (var (name, member) in members)
        {
            var nested = $"{path}.{name}";
            if (target.Field(name) is not { } field)
            {
                Error(at, flow, nested, $"{path} in {flow.To} has no field '{name}'{Suggest(name, target.Fields)}");
            }
            else if (field.ReadOnly)
            {
                Error(at, flow, nested, $"{flow.To} does not take values for {nested}: it is read-only{Typed(field)}. Leave it out of the mapping.");
            }
            else
            {
                Compare(member, field, nested, at, flow);
            }
        }
        var given = members.Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var field in target.Fields.Where(f => f.Required && !f.ReadOnly && !given.Contains(f.Name)))
        {
            Error(at, flow, $"{path}.{field.Name}", $"{flow.To} requires {field.Name} in every {path} (it is mandatory{Typed(field)}), but the rule never writes it.");
        }
    }

    private void CompareConstants(Shape shape, FieldSchema target, string path, SourceLocation at, FlowConfig flow)
    {
        if (shape.Constants is not { } constants) return;
        foreach (var constant in constants.Where(c => c is JValue))
        {
            var text = Values.ScalarText(constant);
            if (target.AllowedValues is { } allowed && !allowed.Contains(text, StringComparer.Ordinal))
            {
                var close = FunctionLibrary.Closest(text, allowed) is { } suggestion ? $"did you mean '{suggestion}'? " : "";
                Error(at, flow, path, $"{Values.Quote(text)} is not a value {flow.To} allows for {path}{Typed(target)}; {close}allowed: {Shown(allowed)}.");
            }
            else if (target.MaxLength is { } max && Shape.IsTextual(target.Kind) && text.Length > max)
            {
                Error(at, flow, path, $"{Values.Quote(text)} is {text.Length} characters long, but {flow.To} takes at most {max} in {path}.");
            }
        }
    }

    private static string Shown(IReadOnlyList<string> values) =>
        string.Join(", ", values.Take(12).Select(v => $"'{v}'")) + (values.Count > 12 ? $" and {values.Count - 12} more" : "");

    private static string Typed(FieldSchema field) => field.VendorType is { } type ? $", a {type} field" : "";

    private static string Suggest(string name, IReadOnlyList<FieldSchema> fields) =>
        FunctionLibrary.Closest(name, fields.Select(f => f.Name)) is { } close ? $"; did you mean '{close}'?" : $"; its fields: {string.Join(", ", fields.Select(f => f.Name))}.";

    private void Error(SourceLocation at, FlowConfig flow, string? field, string message) => _errors.Add(new ConfigError(at, flow.Name, field, message));

    private void Warning(SourceLocation at, FlowConfig flow, string? field, string message) => _warnings.Add(new ConfigWarning(at, flow.Name, field, message));

    /// <summary>What one stream was checked against.</summary>
    /// <param name="Schema">Its fields, or <see langword="null"/> when not described.</param>
    /// <param name="Origin">Where they come from.</param>
    private sealed record Described(StreamSchema? Schema, SchemaOrigin Origin)
    {
        /// <summary>Whether the stream may have fields the schema lacks: a built-in schema of standard fields only, used because the system was not asked.</summary>
        public bool MayHaveOtherFields => Origin == SchemaOrigin.BuiltIn && Schema is { CustomFields: true };
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Zoho;

/// <summary>
/// The records of one sandbox module and the rules Zoho applies when they are written: mandatory
/// fields, maximum lengths, e-mail format, value types (numbers, booleans, dates), lookups that must name an
/// existing record (stored as <c>{"name", "id"}</c>), subform rows (added when sent without an id, changed
/// when sent with one, removed with <c>"_delete": null</c>, as Zoho's "Update Subform Data" page says),
/// unique fields, duplicate checks, computed totals, and <c>Modified_Time</c> stamped from the sandbox clock
/// in the user's time zone. Tests read it the way a CRM user would.
/// </summary>
public sealed partial class ZohoModuleStore
{
    private static readonly JObject SandboxUser = new() { ["name"] = "Sandbox Admin", ["id"] = "4150868000000225013", ["email"] = "admin@sandbox.example" };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Stored> _records = new(StringComparer.Ordinal);
    private readonly List<DeletedEntry> _deleted = [];
    private readonly Dictionary<string, ZohoSandboxField> _fields;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _zone;
    private readonly Func<string> _nextId;
    private readonly string _displayField;
    private readonly Func<string, ZohoModuleStore?> _modules;
    private readonly Action<JObject>? _compute;

    // Field → comparable value → ids holding it, for the fields duplicate checks look up, so that an
    // upsert costs the same with 100 records as with a million (as it does at Zoho).
    private readonly Dictionary<string, Dictionary<string, SortedSet<string>>> _index = new(StringComparer.Ordinal);

    internal ZohoModuleStore(string apiName, IEnumerable<ZohoSandboxField> fields, string duplicateCheckField, TimeProvider clock, TimeSpan zone,
        Func<string> nextId, string displayField, Func<string, ZohoModuleStore?> modules, Action<JObject>? compute = null)
    {
        ApiName = apiName;
        _fields = fields.ToDictionary(f => f.ApiName, StringComparer.Ordinal);
        DuplicateCheckField = duplicateCheckField;
        _clock = clock;
        _zone = zone;
        _nextId = nextId;
        _displayField = displayField;
        _modules = modules;
        _compute = compute;
        foreach (var field in _fields.Values.Where(f => f.Unique || f.DataType == "email" || f.ApiName == duplicateCheckField))
        {
            _index[field.ApiName] = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        }
    }

    /// <summary>The module's API name, for example <c>Contacts</c>.</summary>
    public string ApiName { get; }

    /// <summary>The system-defined duplicate-check field (<c>Email</c> for Contacts), used by upserts that name none.</summary>
    public string DuplicateCheckField { get; }

    /// <summary>The module's fields.</summary>
    public IReadOnlyCollection<ZohoSandboxField> Fields => _fields.Values;

    /// <summary>How many records the module holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _records.Count;
        }
    }

    /// <summary>Every record, oldest modification first (copies).</summary>
    public IReadOnlyList<JObject> All()
    {
        lock (_gate) return [.. Sorted(_records.Values, "Modified_Time", ascending: true).Select(s => (JObject)s.Data.DeepClone())];
    }

    /// <summary>The record with this id (a copy), or <see langword="null"/>.</summary>
    public JObject? Get(string id)
    {
        lock (_gate) return _records.TryGetValue(id, out var stored) ? (JObject)stored.Data.DeepClone() : null;
    }

    /// <summary>The record whose <paramref name="field"/> equals <paramref name="value"/> as Zoho compares it (a copy), or <see langword="null"/>.</summary>
    public JObject? FindBy(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate) return Holders(field, value).Select(id => (JObject)_records[id].Data.DeepClone()).FirstOrDefault();
    }

    /// <summary>Whether <paramref name="field"/> is a subform, whose rows only a single-record GET returns.</summary>
    public bool IsSubform(string field) => _fields.TryGetValue(field, out var definition) && definition.DataType == "subform";

    /// <summary>The record whose <c>Email</c> is <paramref name="email"/>, ignoring case (a copy), or <see langword="null"/>.</summary>
    public JObject? FindByEmail(string email)
    {
        lock (_gate) return Holders("Email", email).Select(id => (JObject)_records[id].Data.DeepClone()).FirstOrDefault();
    }

    /// <summary>Creates a record as a CRM user would, stamped now. The same rules as the API apply.</summary>
    /// <exception cref="ArgumentException">Zoho would refuse the record; the message holds its error code.</exception>
    public JObject Insert(JObject fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        lock (_gate)
        {
            var result = InsertLocked(fields, 0, Now());
            return Succeeded(result) ? (JObject)_records[result["details"]!.Value<string>("id")!].Data.DeepClone() : throw Refused(result);
        }
    }

    /// <summary>Changes a record as a CRM user would, which stamps its <c>Modified_Time</c> now.</summary>
    /// <exception cref="ArgumentException">Zoho would refuse the change; the message holds its error code.</exception>
    public JObject Edit(string id, JObject changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var item = (JObject)changes.DeepClone();
        item["id"] = id;
        lock (_gate)
        {
            var result = UpdateLocked(item, 0, Now());
            return Succeeded(result) ? (JObject)_records[id].Data.DeepClone() : throw Refused(result);
        }
    }

    /// <summary>Deletes a record as a CRM user would (it goes to the recycle bin); <see langword="false"/> when there was none.</summary>
    public bool Delete(string id)
    {
        lock (_gate) return DeleteLocked(id);
    }

    /// <summary>The ids of deleted records, most recently deleted first.</summary>
    public IReadOnlyList<string> DeletedIds()
    {
        lock (_gate) return [.. _deleted.AsEnumerable().Reverse().Select(d => d.Id)];
    }

    /// <summary>Deletes one id of a delete request; answers the item's result object.</summary>
    internal JObject DeleteById(string id)
    {
        lock (_gate)
        {
            return DeleteLocked(id)
                ? new JObject { ["code"] = "SUCCESS", ["details"] = new JObject { ["id"] = id }, ["message"] = "record deleted", ["status"] = "success" }
                : Error("INVALID_DATA", "the related id given seems to be invalid", new JObject { ["id"] = id });
        }
    }

    /// <summary>The deleted records, most recent first, as the deleted-records API lists them.</summary>
    internal IReadOnlyList<JObject> Deleted()
    {
        lock (_gate)
        {
            return [.. _deleted.AsEnumerable().Reverse().Select(d => new JObject
            {
                ["deleted_by"] = SandboxUser.DeepClone(),
                ["id"] = d.Id,
                ["display_name"] = d.DisplayName,
                ["type"] = "recycle",
                ["created_by"] = SandboxUser.DeepClone(),
                ["deleted_time"] = Render(d.At),
            })];
        }
    }

    /// <summary>Records <paramref name="skip"/> to <paramref name="skip"/> + <paramref name="take"/> in id order (not copies: callers only read them, under no lock).</summary>
    internal IReadOnlyList<JObject> ById(int skip, int take)
    {
        lock (_gate) return [.. _records.Values.OrderBy(s => s.Id, StringComparer.Ordinal).Skip(skip).Take(take).Select(s => s.Data)];
    }

    private bool DeleteLocked(string id)
    {
        if (!_records.TryGetValue(id, out var stored)) return false;
        Store(stored, null);
        _deleted.Add(new DeletedEntry(id, stored.Data.Value<string>(_displayField) ?? id, Now()));
        return true;
    }

    /// <summary>Deletes every record, so that one sandbox can serve many independent test cases.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _records.Clear();
            _deleted.Clear();
            foreach (var byValue in _index.Values) byValue.Clear();
        }
    }

    /// <summary>
    /// Updates the items of one request as one call: when <paramref name="unmodifiedSince"/> is given and any
    /// of the records was modified after it, nothing is written and the answer is <see langword="null"/>
    /// (Zoho's 412 <c>ALREADY_MODIFIED</c>: the header holds for the whole call).
    /// </summary>
    internal IReadOnlyList<JObject>? UpdateAll(IReadOnlyList<JObject?> items, DateTimeOffset? unmodifiedSince)
    {
        lock (_gate)
        {
            if (unmodifiedSince is { } since
                && items.Any(i => i?.Value<string>("id") is { } id && _records.TryGetValue(id, out var stored) && stored.Modified > since))
            {
                return null;
            }
            var now = Now();
            return [.. items.Select((item, index) => item is null
                ? Error("INVALID_DATA", "invalid data", new JObject { ["json_path"] = $"$.data[{index}]" })
                : UpdateLocked(item, index, now))];
        }
    }

    /// <summary>
    /// The records a COQL query selects: <paramref name="field"/> equal to one of <paramref name="values"/>
    /// (e-mail fields ignoring case, as Zoho compares them), by id ascending as COQL sorts by default.
    /// </summary>
    internal IReadOnlyList<JObject> Select(string field, IReadOnlyCollection<string> values)
    {
        lock (_gate)
        {
            var ids = values.SelectMany(v => Holders(field, v)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            return [.. ids.Select(id => (JObject)_records[id].Data.DeepClone())];
        }
    }

    /// <summary>Whether the module has a field of that API name.</summary>
    internal bool HasField(string field) => field == "id" || _fields.ContainsKey(field);

    internal void Seed(JObject fields, DateTimeOffset modified)
    {
        lock (_gate)
        {
            var result = InsertLocked(fields, 0, modified);
            if (!Succeeded(result)) throw Refused(result);
        }
    }

    /// <summary>
    /// The records to list: modified strictly after <paramref name="modifiedAfter"/>, limited to <paramref name="ids"/>, sorted.
    /// Not copies: a stored record is replaced on change, never edited, so callers may read these after the lock.
    /// </summary>
    internal IReadOnlyList<JObject> Query(DateTimeOffset? modifiedAfter, IReadOnlySet<string>? ids, string sortBy, bool ascending)
    {
        lock (_gate)
        {
            var matching = ids is null
                ? _records.Values.Where(s => modifiedAfter is null || s.Modified > modifiedAfter)
                : ids.Select(id => _records.GetValueOrDefault(id)).OfType<Stored>().Where(s => modifiedAfter is null || s.Modified > modifiedAfter);
            return [.. Sorted(matching, sortBy, ascending).Select(s => s.Data)];
        }
    }

    /// <summary>The name a lookup to record <paramref name="id"/> shows, or <see langword="null"/> when the module has no such record.</summary>
    internal string? DisplayNameOf(string id)
    {
        lock (_gate) return _records.TryGetValue(id, out var stored) ? stored.Data.Value<string>(_displayField) ?? "" : null;
    }

    /// <summary>Upserts one item of a request; answers the item's result object.</summary>
    internal JObject Upsert(JObject item, int index, IReadOnlyList<string> duplicateCheckFields)
    {
        lock (_gate)
        {
            var now = Now();
            if (Invalid(item, index, null) is { } invalid) return invalid;
            foreach (var field in duplicateCheckFields)
            {
                if (item[field] is not JValue { Type: JTokenType.String } value || string.IsNullOrEmpty((string?)value)) continue;
                var existing = Holders(field, (string)value!).FirstOrDefault();
                if (existing is null) continue;
                var update = (JObject)item.DeepClone();
                update["id"] = existing;
                var updated = UpdateLocked(update, index, now);
                if (Succeeded(updated))
                {
                    updated["duplicate_field"] = field;
                    updated["action"] = "update";
                }
                return updated;
            }
            var inserted = InsertLocked(item, index, now);
            if (Succeeded(inserted))
            {
                inserted["duplicate_field"] = null;
                inserted["action"] = "insert";
            }
            return inserted;
        }
    }

    /// <summary>Updates one item (which names its <c>id</c>) of a request; answers the item's result object.</summary>
    internal JObject Update(JObject item, int index)
    {
        lock (_gate) return UpdateLocked(item, index, Now());
    }

    private JObject InsertLocked(JObject item, int index, DateTimeOffset now)
    {
        if (Invalid(item, index, null) is { } invalid) return invalid;
        foreach (var field in _fields.Values.Where(f => f.Mandatory))
        {
            if (IsBlank(item[field.ApiName]))
            {
                return Error("MANDATORY_NOT_FOUND", "required field not found", Blame(field.ApiName, index));
            }
        }
        if (Duplicate(item, index, exceptId: null) is { } duplicate) return duplicate;
        var id = _nextId();
        var data = new JObject { ["id"] = id };
        Apply(data, item);
        _compute?.Invoke(data);
        data["Owner"] = SandboxUser.DeepClone();
        data["Created_By"] = SandboxUser.DeepClone();
        data["Created_Time"] = Render(now);
        Stamp(data, now);
        Store(null, new Stored(id, data, now));
        return Success("record added", data);
    }

    private JObject UpdateLocked(JObject item, int index, DateTimeOffset now)
    {
        var id = item.Value<string>("id");
        if (string.IsNullOrEmpty(id))
        {
            return Error("MANDATORY_NOT_FOUND", "required field not found", Blame("id", index));
        }
        if (!_records.TryGetValue(id, out var stored))
        {
            return Error("INVALID_DATA", "the id given seems to be invalid", Blame("id", index));
        }
        if (Invalid(item, index, stored.Data) is { } invalid) return invalid;
        foreach (var field in _fields.Values.Where(f => f.Mandatory))
        {
            if (item.ContainsKey(field.ApiName) && IsBlank(item[field.ApiName]))
            {
                return Error("MANDATORY_NOT_FOUND", "required field not found", Blame(field.ApiName, index));
            }
        }
        if (Duplicate(item, index, exceptId: id) is { } duplicate) return duplicate;
        var data = (JObject)stored.Data.DeepClone();
        Apply(data, item);
        _compute?.Invoke(data);
        Stamp(data, now);
        Store(stored, stored with { Data = data, Modified = now });
        return Success("record updated", data);
    }

    /// <summary>The first value Zoho would refuse, as the item's error result; <see langword="null"/> when all are acceptable.</summary>
    /// <param name="item">The record as sent.</param>
    /// <param name="index">Its position in the request's <c>data</c>.</param>
    /// <param name="existing">The stored record an update changes (its subform rows may be named by id), or <see langword="null"/>.</param>
    private JObject? Invalid(JObject item, int index, JObject? existing) =>
        InvalidFields(item, _fields, $"$.data[{index}]", existing);

    private JObject? InvalidFields(JObject item, IReadOnlyDictionary<string, ZohoSandboxField> fields, string path, JObject? existing)
    {
        foreach (var property in item.Properties())
        {
            if (!fields.TryGetValue(property.Name, out var field) || field.ReadOnly || property.Value.Type == JTokenType.Null) continue;
            var error = field.DataType switch
            {
                "lookup" => InvalidLookup(field, property.Value, path),
                "subform" => InvalidRows(field, property.Value, path, existing?[field.ApiName] as JArray),
                _ => InvalidScalar(field, property.Value, path),
            };
            if (error is not null) return error;
        }
        return null;
    }

    private JObject? InvalidLookup(ZohoSandboxField field, JToken value, string path)
    {
        if (value is not JObject lookup || lookup["id"] is null && lookup["name"] is null)
        {
            return Error("INVALID_DATA", "invalid data", Blame(field.ApiName, path, ("expected_data_type", "jsonobject")));
        }
        // An id that names no record of the looked-up module is refused, as Zoho refuses a stale lookup.
        if (field.LookupModule is { } module && lookup.Value<string>("id") is { } id && _modules(module)?.DisplayNameOf(id) is null)
        {
            return Error("INVALID_DATA", "invalid data", Blame(field.ApiName, path, ("expected_data_type", "lookup")));
        }
        return null;
    }

    private JObject? InvalidRows(ZohoSandboxField field, JToken value, string path, JArray? existingRows)
    {
        if (value is not JArray rows || rows.Any(r => r is not JObject))
        {
            return Error("INVALID_DATA", "invalid data", Blame(field.ApiName, path, ("expected_data_type", "jsonarray")));
        }
        var rowFields = field.Rows!.ToDictionary(f => f.ApiName, StringComparer.Ordinal);
        var existingIds = existingRows?.OfType<JObject>().Select(r => r.Value<string>("id")).OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = (JObject)rows[i];
            var rowPath = $"{path}.{field.ApiName}[{i}]";
            if (row.Value<string>("id") is { } rowId)
            {
                // A row named by id must be one of the record's rows; a new record has none.
                if (!existingIds.Contains(rowId)) return Error("INVALID_DATA", "the id given seems to be invalid", Blame("id", rowPath));
                if (row.ContainsKey("_delete")) continue;
            }
            else
            {
                foreach (var mandatory in field.Rows!.Where(f => f.Mandatory && IsBlank(row[f.ApiName])))
                {
                    return Error("MANDATORY_NOT_FOUND", "required field not found", Blame(mandatory.ApiName, rowPath));
                }
            }
            if (InvalidFields(row, rowFields, rowPath, null) is { } error) return error;
        }
        return null;
    }

    private static JObject? InvalidScalar(ZohoSandboxField field, JToken value, string path)
    {
        if (value is not JValue { Value: not null } scalar)
        {
            return Error("INVALID_DATA", "invalid data", Blame(field.ApiName, path, ("expected_data_type", field.DataType)));
        }
        var typed = field.DataType switch
        {
            "integer" => scalar.Type == JTokenType.Integer,
            "double" or "currency" => scalar.Type is JTokenType.Integer or JTokenType.Float,
            "boolean" => scalar.Type == JTokenType.Boolean,
            "date" => scalar.Type == JTokenType.String
                && DateOnly.TryParseExact((string)scalar!, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "datetime" => scalar.Type == JTokenType.String && DateTimeOffset.TryParseExact((string)scalar!, "yyyy-MM-dd'T'HH:mm:sszzz",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            _ => true,
        };
        if (!typed)
        {
            return Error("INVALID_DATA", "invalid data", Blame(field.ApiName, path, ("expected_data_type", field.DataType)));
        }
        var text = Convert.ToString(scalar.Value, CultureInfo.InvariantCulture) ?? "";
        if (field.MaxLength is { } max && text.Length > max)
        {
            return Error("INVALID_DATA", "invalid data", Blame(field.ApiName, path, ("maximum_length", max)));
        }
        if (field.DataType == "email" && text.Length > 0 && !EmailShape().IsMatch(text))
        {
            return Error("INVALID_DATA", "invalid data", Blame(field.ApiName, path, ("expected_data_type", "email")));
        }
        return null;
    }

    private JObject? Duplicate(JObject item, int index, string? exceptId)
    {
        foreach (var field in _fields.Values.Where(f => f.Unique))
        {
            if (item[field.ApiName] is not JValue { Type: JTokenType.String } value || string.IsNullOrEmpty((string?)value)) continue;
            var holder = Holders(field.ApiName, (string)value!).Where(id => id != exceptId).Select(id => _records[id]).FirstOrDefault();
            if (holder is not null)
            {
                var details = Blame(field.ApiName, $"$.data[{index}]");
                details["id"] = holder.Id;
                return Error("DUPLICATE_DATA", "duplicate data", details);
            }
        }
        return null;
    }

    private void Apply(JObject data, JObject item)
    {
        foreach (var property in item.Properties())
        {
            // Zoho ignores names that are not fields of the module, and system stamps.
            if (!_fields.TryGetValue(property.Name, out var field) || field.ReadOnly) continue;
            data[property.Name] = field.DataType switch
            {
                "lookup" => Lookup(field, property.Value),
                "subform" when property.Value is JArray rows => MergeRows(field, data[property.Name] as JArray, rows),
                _ => property.Value.DeepClone(),
            };
        }
        if (_fields.ContainsKey("Full_Name"))
        {
            data["Full_Name"] = $"{data.Value<string>("First_Name")} {data.Value<string>("Last_Name")}".Trim();
        }
    }

    // A lookup reads back as {"name", "id"}: the name is the looked-up record's display field.
    private JToken Lookup(ZohoSandboxField field, JToken value)
    {
        if (value is not JObject { } lookup || field.LookupModule is not { } module || lookup.Value<string>("id") is not { } id) return value.DeepClone();
        return new JObject { ["name"] = _modules(module)?.DisplayNameOf(id), ["id"] = id };
    }

    // Rows sent without an id are added; rows with an id change that row, or remove it with "_delete": null;
    // rows not sent stay. An empty list removes them all.
    private JArray MergeRows(ZohoSandboxField field, JArray? existing, JArray sent)
    {
        if (sent.Count == 0) return [];
        var rowFields = field.Rows!.ToDictionary(f => f.ApiName, StringComparer.Ordinal);
        var rows = existing?.OfType<JObject>().Select(r => (JObject)r.DeepClone()).ToList() ?? [];
        foreach (var row in sent.OfType<JObject>())
        {
            var target = row.Value<string>("id") is { } id ? rows.Find(r => r.Value<string>("id") == id) : null;
            if (target is not null && row.ContainsKey("_delete"))
            {
                rows.Remove(target);
                continue;
            }
            if (target is null)
            {
                target = new JObject { ["id"] = _nextId() };
                rows.Add(target);
            }
            foreach (var property in row.Properties())
            {
                if (!rowFields.TryGetValue(property.Name, out var rowField) || rowField.ReadOnly) continue;
                target[property.Name] = rowField.DataType == "lookup" ? Lookup(rowField, property.Value) : property.Value.DeepClone();
            }
        }
        return new JArray(rows);
    }

    private void Stamp(JObject data, DateTimeOffset now)
    {
        data["Modified_By"] = SandboxUser.DeepClone();
        data["Modified_Time"] = Render(now);
    }

    private string Render(DateTimeOffset instant) =>
        instant.ToOffset(_zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    // Zoho stamps to the second.
    private DateTimeOffset Now()
    {
        var now = _clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }

    /// <summary>The ids whose <paramref name="field"/> equals <paramref name="value"/> as Zoho compares it, lowest id first.</summary>
    private IEnumerable<string> Holders(string field, string value)
    {
        if (_index.TryGetValue(field, out var byValue))
        {
            return byValue.TryGetValue(Comparable(field, value), out var ids) ? ids : [];
        }
        return _records.Values.Where(s => SameValue(field, s.Data[field], value)).Select(s => s.Id).Order(StringComparer.Ordinal);
    }

    private void Store(Stored? before, Stored? after)
    {
        foreach (var (field, byValue) in _index)
        {
            if (before?.Data[field] is JValue { Type: JTokenType.String } old && byValue.TryGetValue(Comparable(field, (string)old!), out var oldIds))
            {
                oldIds.Remove(before.Id);
            }
            if (after?.Data[field] is JValue { Type: JTokenType.String } now && ((string?)now)?.Length > 0)
            {
                var key = Comparable(field, (string)now!);
                if (!byValue.TryGetValue(key, out var ids)) byValue[key] = ids = new SortedSet<string>(StringComparer.Ordinal);
                ids.Add(after.Id);
            }
        }
        if (after is null) _records.Remove(before!.Id);
        else _records[after.Id] = after;
    }

    private string Comparable(string field, string value) =>
        _fields.TryGetValue(field, out var definition) && definition.DataType == "email" ? value.ToUpperInvariant() : value;

    private bool SameValue(string field, JToken? stored, string value) =>
        stored is JValue { Type: JTokenType.String } text && string.Equals((string?)text, value,
            _fields.TryGetValue(field, out var definition) && definition.DataType == "email" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static IEnumerable<Stored> Sorted(IEnumerable<Stored> records, string sortBy, bool ascending)
    {
        // Ties (many records share a second) are broken by id, so that paging is stable.
        var ordered = sortBy switch
        {
            "Modified_Time" => ascending ? records.OrderBy(s => s.Modified) : records.OrderByDescending(s => s.Modified),
            "Created_Time" => ascending ? records.OrderBy(s => s.Data.Value<string>("Created_Time") is { } c ? DateTimeOffset.Parse(c, CultureInfo.InvariantCulture) : default)
                : records.OrderByDescending(s => s.Data.Value<string>("Created_Time") is { } c ? DateTimeOffset.Parse(c, CultureInfo.InvariantCulture) : default),
            _ => ascending ? records.OrderBy(s => s.Id, StringComparer.Ordinal) : records.OrderByDescending(s => s.Id, StringComparer.Ordinal),
        };
        return ascending ? ordered.ThenBy(s => s.Id, StringComparer.Ordinal) : ordered.ThenByDescending(s => s.Id, StringComparer.Ordinal);
    }

    private static bool IsBlank(JToken? value) =>
        value is null || value.Type == JTokenType.Null || value is JValue { Type: JTokenType.String } text && string.IsNullOrWhiteSpace((string?)text)
        || value is JArray { Count: 0 };

    private static JObject Blame(string field, int index, params (string Key, object Value)[] extra) => Blame(field, $"$.data[{index}]", extra);

    private static JObject Blame(string field, string path, params (string Key, object Value)[] extra)
    {
        var details = new JObject();
        foreach (var (key, value) in extra) details[key] = JToken.FromObject(value);
        details["api_name"] = field;
        details["json_path"] = $"{path}.{field}";
        return details;
    }

    private static JObject Success(string message, JObject data) => new()
    {
        ["code"] = "SUCCESS",
        ["details"] = new JObject
        {
            ["Modified_Time"] = data["Modified_Time"]!.DeepClone(),
            ["Modified_By"] = data["Modified_By"]!.DeepClone(),
            ["Created_Time"] = data["Created_Time"]!.DeepClone(),
            ["id"] = data["id"]!.DeepClone(),
            ["Created_By"] = data["Created_By"]!.DeepClone(),
        },
        ["message"] = message,
        ["status"] = "success",
    };

    private static JObject Error(string code, string message, JObject details) =>
        new() { ["code"] = code, ["details"] = details, ["message"] = message, ["status"] = "error" };

    internal static bool Succeeded(JObject result) => result.Value<string>("status") == "success";

    private static ArgumentException Refused(JObject result) =>
        new($"Zoho would refuse this record: {result.Value<string>("code")} on {result["details"]?.Value<string>("api_name")}.");

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailShape();

    private sealed record Stored(string Id, JObject Data, DateTimeOffset Modified);

    private sealed record DeletedEntry(string Id, string DisplayName, DateTimeOffset At);
}

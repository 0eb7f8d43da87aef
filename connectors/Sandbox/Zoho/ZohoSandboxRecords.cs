using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Zoho;

/// <summary>
/// The sandbox's records API, v8: list (mandatory <c>fields</c>, discrete pages up to record 2,000,
/// <c>page_token</c> beyond, <c>If-Modified-Since</c>, 204/304 when empty), upsert and update (at most
/// 100 records, per-record results, 207 when mixed) and the fields metadata. Shared reference zoho-crm.md §2-3.
/// </summary>
internal sealed partial class ZohoSandboxRecords(ZohoSandboxAccounts accounts, ZohoPageTokens pageTokens, Func<string, ZohoModuleStore?> modules,
    TimeSpan zone)
{
    public const int MaxPerPage = 200;
    public const int DiscreteLimit = 2000;
    public const int TokenLimit = 100_000;
    public const int MaxRecordsPerWrite = 100;
    public const int MaxFields = 50;
    public const int MaxQueryValues = 50;
    public const int MaxQueryRows = 2000;

    private static readonly HashSet<string> SortFields = new(StringComparer.Ordinal) { "id", "Created_Time", "Modified_Time" };

    public async Task ListAsync(HttpContext context)
    {
        if (!await accounts.AuthenticateAsync(context)) return;
        if (await ModuleAsync(context) is not { } store) return;
        var query = context.Request.Query;

        var fieldsParameter = Parameter(query, "fields");
        if (fieldsParameter is null)
        {
            await ZohoReply.Error(context, 400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", new JObject { ["param_name"] = "fields" });
            return;
        }
        var fields = fieldsParameter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length > MaxFields)
        {
            await ZohoReply.Error(context, 400, "LIMIT_EXCEEDED", "the number of fields exceeded the limit",
                new JObject { ["param_name"] = "fields", ["limit"] = MaxFields });
            return;
        }
        if (!TryNumber(query, "per_page", MaxPerPage, out var perPage) || perPage is < 1 or > MaxPerPage)
        {
            await ZohoReply.Error(context, 400, "INVALID_DATA", "invalid data",
                new JObject { ["param_name"] = "per_page", ["maximum"] = MaxPerPage });
            return;
        }
        var sortBy = Parameter(query, "sort_by") ?? "id";
        var sortOrder = Parameter(query, "sort_order") ?? "desc";
        if (!SortFields.Contains(sortBy) || sortOrder is not ("asc" or "desc"))
        {
            await ZohoReply.Error(context, 400, "INVALID_DATA", "invalid data",
                new JObject { ["param_name"] = SortFields.Contains(sortBy) ? "sort_order" : "sort_by" });
            return;
        }
        DateTimeOffset? modifiedAfter = null;
        var since = context.Request.Headers.IfModifiedSince.ToString();
        if (since.Length > 0)
        {
            if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                await ZohoReply.Error(context, 400, "INVALID_DATA", "invalid data", new JObject { ["header_name"] = "If-Modified-Since" });
                return;
            }
            modifiedAfter = parsed;
        }
        var idsParameter = Parameter(query, "ids");
        var ids = idsParameter?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

        // A page token is bound to every other parameter of the query that issued it.
        var binding = string.Join('\n', store.ApiName, fieldsParameter, perPage, sortBy, sortOrder, since, idsParameter);
        var pageToken = Parameter(query, "page_token");
        var pageParameter = Parameter(query, "page");
        int offset;
        if (pageToken is not null)
        {
            if (pageParameter is not null)
            {
                await ZohoReply.Error(context, 400, "AMBIGUITY_DURING_PROCESSING", "page and page_token cannot be given together",
                    new JObject { ["ambiguity_due_to"] = new JArray("page", "page_token") });
                return;
            }
            var entry = pageTokens.Find(pageToken);
            if (entry is null)
            {
                await ZohoReply.Error(context, 400, "INVALID_DATA", "invalid data", new JObject { ["param_name"] = "page_token" });
                return;
            }
            if (pageTokens.HasExpired(entry))
            {
                await ZohoReply.Error(context, 400, "EXPIRED_VALUE", "the page token has expired", new JObject { ["param_name"] = "page_token" });
                return;
            }
            if (entry.Query != binding)
            {
                await ZohoReply.Error(context, 400, "TOKEN_BOUND_DATA_MISMATCH", "the query does not match the one the page token was issued for",
                    new JObject { ["param_name"] = "page_token" });
                return;
            }
            offset = entry.Offset;
        }
        else
        {
            if (!TryNumber(query, "page", 1, out var page) || page < 1)
            {
                await ZohoReply.Error(context, 400, "INVALID_DATA", "invalid data", new JObject { ["param_name"] = "page" });
                return;
            }
            if ((long)page * perPage > DiscreteLimit)
            {
                await ZohoReply.Error(context, 400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
                    "you can fetch only the first 2000 records with page; use page_token to fetch more",
                    new JObject { ["limit"] = DiscreteLimit });
                return;
            }
            offset = (page - 1) * perPage;
        }
        if (offset + perPage > TokenLimit)
        {
            await ZohoReply.Error(context, 400, "PAGINATION_LIMIT_EXCEEDED", "you can fetch only the first 100000 records",
                new JObject { ["limit"] = TokenLimit });
            return;
        }

        var matching = store.Query(modifiedAfter, ids, sortBy, sortOrder == "asc");
        if (matching.Count == 0 || offset >= matching.Count)
        {
            await ZohoReply.Empty(context, modifiedAfter is not null && matching.Count == 0 ? 304 : 204);
            return;
        }
        // Subform rows are not part of a list: only a single-record GET returns them (zoho-crm.md §2.1).
        var listed = fields.Where(f => !store.IsSubform(f)).ToArray();
        var records = matching.Skip(offset).Take(perPage).Select(r => Project(r, listed)).ToList();
        var more = offset + records.Count < matching.Count;
        var next = more ? pageTokens.Issue(offset + records.Count, binding) : default;
        var previous = offset > 0 ? pageTokens.Issue(Math.Max(0, offset - perPage), binding) : default;
        var info = new JObject
        {
            ["per_page"] = perPage,
            ["next_page_token"] = next.Token,
            ["count"] = records.Count,
            ["sort_by"] = sortBy,
            ["page"] = offset / perPage + 1,
            ["previous_page_token"] = previous.Token,
            ["page_token_expiry"] = next.Token is null ? null : Render(next.Expires),
            ["sort_order"] = sortOrder,
            ["more_records"] = more,
        };
        await ZohoReply.Json(context, 200, new JObject { ["data"] = new JArray(records), ["info"] = info });
    }

    /// <summary>
    /// <c>GET /crm/v8/{module}/{id}</c>: one record with every field, subform rows included (the only read that
    /// returns them); 204 when there is no such record.
    /// </summary>
    public async Task GetOneAsync(HttpContext context)
    {
        if (!await accounts.AuthenticateAsync(context)) return;
        if (await ModuleAsync(context) is not { } store) return;
        var id = context.Request.RouteValues["id"] as string ?? "";
        if (store.Get(id) is not { } record)
        {
            await ZohoReply.Empty(context, 204);
            return;
        }
        var fields = Parameter(context.Request.Query, "fields")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await ZohoReply.Json(context, 200, new JObject { ["data"] = new JArray(fields is null ? record : Project(record, fields)) });
    }

    public Task UpsertAsync(HttpContext context) => WriteAsync(context, upsert: true);

    public Task UpdateAsync(HttpContext context) => WriteAsync(context, upsert: false);

    /// <summary>
    /// <c>POST /crm/v8/coql</c>, the subset lookups use: <c>select f1, f2 from Module where Field in ('a', 'b')</c>
    /// (or <c>Field = 'a'</c>) <c>limit offset, count</c>. At most 50 selected fields and 50 values, 2,000 rows a
    /// call; 204 when nothing matches.
    /// </summary>
    public async Task QueryAsync(HttpContext context)
    {
        if (!await accounts.AuthenticateAsync(context)) return;
        string? text;
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            text = JObject.Parse(await reader.ReadToEndAsync(context.RequestAborted)).Value<string>("select_query");
        }
        catch (JsonException)
        {
            text = null;
        }
        var query = text is null ? null : CoqlQuery().Match(text);
        if (query is null || !query.Success)
        {
            await ZohoReply.Error(context, 400, "SYNTAX_ERROR", "error occured while parsing the query", new JObject { ["clause"] = "select" });
            return;
        }
        if (modules(query.Groups["module"].Value) is not { } store)
        {
            await ZohoReply.Error(context, 400, "INVALID_QUERY", "invalid query formed", new JObject { ["reason"] = "invalid module", ["clause"] = "from" });
            return;
        }
        var fields = query.Groups["fields"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var field = query.Groups["field"].Value;
        var unknown = fields.Append(field).FirstOrDefault(f => !store.HasField(f));
        if (fields.Length > MaxFields || unknown is not null)
        {
            var bad = fields.Length > MaxFields ? "select" : "where";
            await ZohoReply.Error(context, 400, "INVALID_QUERY", "invalid query formed", new JObject { ["reason"] = "invalid column", ["clause"] = bad });
            return;
        }
        var values = CoqlValue().Matches(query.Groups["values"].Value).Select(m => Unescape(m.Groups["text"].Value)).ToList();
        if (values.Count is 0 or > MaxQueryValues)
        {
            await ZohoReply.Error(context, 400, "LIMIT_EXCEEDED", "the number of values in 'in' exceeded the limit", new JObject { ["clause"] = "where" });
            return;
        }
        var offset = int.Parse(query.Groups["offset"].Value, CultureInfo.InvariantCulture);
        var count = Math.Min(int.Parse(query.Groups["count"].Value, CultureInfo.InvariantCulture), MaxQueryRows);
        var matching = store.Select(field, values);
        var page = matching.Skip(offset).Take(count).Select(r => Project(r, fields)).ToList();
        if (page.Count == 0)
        {
            await ZohoReply.Empty(context, 204);
            return;
        }
        await ZohoReply.Json(context, 200, new JObject
        {
            ["data"] = new JArray(page),
            ["info"] = new JObject { ["count"] = page.Count, ["more_records"] = offset + page.Count < matching.Count },
        });
    }

    public async Task FieldsAsync(HttpContext context)
    {
        if (!await accounts.AuthenticateAsync(context)) return;
        var module = Parameter(context.Request.Query, "module");
        if (module is null)
        {
            await ZohoReply.Error(context, 400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", new JObject { ["param_name"] = "module" });
            return;
        }
        if (modules(module) is not { } store)
        {
            await ZohoReply.Error(context, 400, "INVALID_MODULE", "the module name given seems to be invalid", new JObject { ["param_name"] = "module" });
            return;
        }
        var fields = new JArray(store.Fields.Select(f => new JObject
        {
            ["api_name"] = f.ApiName,
            ["data_type"] = f.DataType,
            ["length"] = f.MaxLength,
            ["system_mandatory"] = f.Mandatory,
            ["unique"] = f.Unique ? new JObject { ["casesensitive"] = false } : new JObject(),
            ["read_only"] = f.ReadOnly,
            ["pick_list_values"] = new JArray((f.PickListValues ?? []).Select(v => new JObject { ["display_value"] = v, ["actual_value"] = v })),
        }));
        await ZohoReply.Json(context, 200, new JObject { ["fields"] = fields });
    }

    private async Task WriteAsync(HttpContext context, bool upsert)
    {
        if (!await accounts.AuthenticateAsync(context)) return;
        if (await ModuleAsync(context) is not { } store) return;
        JObject body;
        try
        {
            using var text = new StreamReader(context.Request.Body);
            // Date-times stay the strings the client wrote, as Zoho validates them.
            using var reader = new JsonTextReader(new StringReader(await text.ReadToEndAsync(context.RequestAborted)))
            {
                DateParseHandling = DateParseHandling.None,
            };
            body = JObject.Load(reader);
        }
        catch (JsonException)
        {
            await ZohoReply.Error(context, 400, "INVALID_DATA", "body is not valid JSON");
            return;
        }
        if (body["data"] is not JArray { Count: > 0 } data)
        {
            await ZohoReply.Error(context, 400, "MANDATORY_NOT_FOUND", "required field not found", new JObject { ["api_name"] = "data" });
            return;
        }
        var routeId = context.Request.RouteValues["id"] as string;
        if (routeId is not null)
        {
            // PUT /crm/v8/{module}/{id}: one record, whose id is the path's.
            if (data.Count != 1 || data[0] is not JObject single)
            {
                await ZohoReply.Error(context, 400, "INVALID_DATA", "only one record can be updated by id", new JObject { ["api_name"] = "data" });
                return;
            }
            single["id"] = routeId;
        }
        DateTimeOffset? unmodifiedSince = null;
        if (context.Request.Headers["If-Unmodified-Since"].ToString() is { Length: > 0 } header)
        {
            if (!DateTimeOffset.TryParse(header, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                await ZohoReply.Error(context, 400, "INVALID_DATA", "invalid data", new JObject { ["header_name"] = "If-Unmodified-Since" });
                return;
            }
            unmodifiedSince = parsed;
        }
        if (data.Count > MaxRecordsPerWrite)
        {
            await ZohoReply.Error(context, 400, "LIMIT_EXCEEDED", "the number of records exceeded the limit",
                new JObject { ["api_name"] = "data", ["limit"] = MaxRecordsPerWrite });
            return;
        }
        IReadOnlyList<string> duplicateCheckFields = [store.DuplicateCheckField];
        if (upsert && body["duplicate_check_fields"] is JArray named && named.Count > 0)
        {
            duplicateCheckFields = [.. named.Values<string>().OfType<string>()];
            // Only the system duplicate-check field and unique fields may find a record.
            var allowed = store.Fields.Where(f => f.Unique).Select(f => f.ApiName).Append(store.DuplicateCheckField).ToHashSet(StringComparer.Ordinal);
            if (duplicateCheckFields.FirstOrDefault(f => !allowed.Contains(f)) is { } refused)
            {
                await ZohoReply.Error(context, 400, "INVALID_DATA", "the field given in duplicate_check_fields is not unique",
                    new JObject { ["api_name"] = refused, ["json_path"] = "$.duplicate_check_fields" });
                return;
            }
        }
        var results = new JArray();
        if (!upsert)
        {
            var updated = store.UpdateAll([.. data.Select(d => d as JObject)], unmodifiedSince);
            if (updated is null)
            {
                await ZohoReply.Error(context, 412, "ALREADY_MODIFIED", "the record has been modified after the time given in If-Unmodified-Since",
                    new JObject { ["header_name"] = "If-Unmodified-Since" });
                return;
            }
            foreach (var result in updated) results.Add(result);
        }
        for (var i = 0; upsert && i < data.Count; i++)
        {
            if (data[i] is not JObject item)
            {
                results.Add(new JObject
                {
                    ["code"] = "INVALID_DATA", ["details"] = new JObject { ["json_path"] = $"$.data[{i}]" }, ["message"] = "invalid data", ["status"] = "error",
                });
                continue;
            }
            results.Add(upsert ? store.Upsert(item, i, duplicateCheckFields) : store.Update(item, i));
        }
        var succeeded = results.Count(r => ZohoModuleStore.Succeeded((JObject)r));
        // All written: 200; some refused: 207 Multi-Status; all refused: 400, still listed record by record.
        var status = succeeded == results.Count ? 200 : succeeded == 0 ? 400 : 207;
        await ZohoReply.Json(context, status, new JObject { ["data"] = results });
    }

    private static string Unescape(string text) => text.Replace("\\'", "'", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    [GeneratedRegex(@"^\s*select\s+(?<fields>[A-Za-z0-9_,\s]+?)\s+from\s+(?<module>[A-Za-z0-9_]+)\s+where\s+\(?\s*(?<field>[A-Za-z0-9_]+)\s+(?:in\s*\((?<values>.*)\)|=\s*(?<values>'(?:[^'\\]|\\.)*'))\s*\)?\s+limit\s+(?<offset>\d+)\s*,\s*(?<count>\d+)\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex CoqlQuery();

    [GeneratedRegex(@"'(?<text>(?:[^'\\]|\\.)*)'", RegexOptions.CultureInvariant)]
    private static partial Regex CoqlValue();

    private async Task<ZohoModuleStore?> ModuleAsync(HttpContext context)
    {
        var name = context.Request.RouteValues["module"] as string ?? "";
        var store = modules(name);
        if (store is null)
        {
            await ZohoReply.Error(context, 400, "INVALID_MODULE", "the module name given seems to be invalid", new JObject { ["resource_path_index"] = 0 });
        }
        return store;
    }

    private static JObject Project(JObject record, string[] fields)
    {
        var projected = new JObject { ["id"] = record["id"]!.DeepClone() };
        foreach (var field in fields)
        {
            projected[field] = record[field]?.DeepClone() ?? JValue.CreateNull();
        }
        return projected;
    }

    private string Render(DateTimeOffset instant) => instant.ToOffset(zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string? Parameter(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value) ? value.ToString() : null;

    private static bool TryNumber(IQueryCollection query, string name, int fallback, out int value)
    {
        var text = Parameter(query, name);
        if (text is null)
        {
            value = fallback;
            return true;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}

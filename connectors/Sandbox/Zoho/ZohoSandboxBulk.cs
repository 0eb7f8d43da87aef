using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Zoho;

/// <summary>
/// The sandbox's delete, deleted-records, count and bulk APIs (shared reference zoho-crm.md §2.3, §3.1, §6):
/// deletes of at most 100 ids; the recycle bin listed 200 a page; bulk read jobs of 200,000 records a
/// page with a zipped CSV result; bulk write from a zipped CSV uploaded to the upload endpoint (at most
/// 25,000 rows), processed as upserts by <c>find_by</c>, with a zipped result CSV (<c>STATUS</c>,
/// <c>RECORD_ID</c>, <c>ERRORS</c>, one row per uploaded row). Jobs finish <see cref="ZohoSandboxOptions.BulkJobDuration"/>
/// after they are created, on the sandbox clock.
/// </summary>
internal sealed class ZohoSandboxBulk(ZohoSandboxAccounts accounts, Func<string, ZohoModuleStore?> modules, TimeProvider clock,
    ZohoSandboxOptions options, Func<Uri> baseUrl)
{
    public const int MaxPerPage = 200;
    public const int MaxIdsPerDelete = 100;
    public const int BulkReadPage = 200_000;
    public const int MaxRowsPerBulkFile = 25_000;

    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private long _nextId = 5725767000900000000;

    /// <summary>Bulk read jobs created so far.</summary>
    public int BulkReadJobs => _jobs.Values.Count(j => j.Read is not null);

    /// <summary>Bulk write jobs created so far.</summary>
    public int BulkWriteJobs => _jobs.Values.Count(j => j.Write is not null);

    public async Task DeleteAsync(HttpContext context)
    {
        if (!await accounts.AuthenticateAsync(context)) return;
        if (await ModuleAsync(context) is not { } store) return;
        var ids = (Parameter(context.Request.Query, "ids") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length == 0)
        {
            await ZohoReply.Error(context, 400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", new JObject { ["param_name"] = "ids" });
            return;
        }
        if (ids.Length > MaxIdsPerDelete)
        {
            await ZohoReply.Error(context, 400, "LIMIT_EXCEEDED", "the number of ids exceeded the limit", new JObject { ["param_name"] = "ids", ["limit"] = MaxIdsPerDelete });
            return;
        }
        var results = new JArray(ids.Select(store.DeleteById));
        var succeeded = results.Count(r => ZohoModuleStore.Succeeded((JObject)r));
        await ZohoReply.Json(context, succeeded == results.Count ? 200 : succeeded == 0 ? 400 : 207, new JObject { ["data"] = results });
    }

    public async Task DeletedAsync(HttpContext context)
    {
        if (!await accounts.AuthenticateAsync(context)) return;
        if (await ModuleAsync(context) is not { } store) return;
        var query = context.Request.Query;
        var page = int.TryParse(Parameter(query, "page") ?? "1", NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 0;
        var perPage = int.TryParse(Parameter(query, "per_page") ?? "200", NumberStyles.None, CultureInfo.InvariantCulture, out var pp) ? pp : 0;
        if (page == 0 || perPage is < 1 or > MaxPerPage)
        {
            await ZohoReply.Error(context, 400, "INVALID_DATA", "invalid data", new JObject { ["param_name"] = page == 0 ? "page" : "per_page" });
            return;
        }
        var deleted = store.Deleted();
        var slice = deleted.Skip((page - 1) * perPage).Take(perPage).ToList();
        if (slice.Count == 0)
        {
            await ZohoReply.Empty(context, 204);
            return;
        }
        var info = new JObject { ["per_page"] = perPage, ["count"] = slice.Count, ["page"] = page, ["more_records"] = page * perPage < deleted.Count };
        await ZohoReply.Json(context, 200, new JObject { ["data"] = new JArray(slice), ["info"] = info });
    }

    public async Task CountAsync(HttpContext context)
    {
        if (!await accounts.AuthenticateAsync(context)) return;
        if (await ModuleAsync(context) is not { } store) return;
        await ZohoReply.Json(context, 200, new JObject { ["count"] = store.Count });
    }

    public async Task CreateReadAsync(HttpContext context)
    {
        if (!await accounts.AuthenticateAsync(context)) return;
        if (await BodyAsync(context) is not { } body) return;
        var moduleName = body.SelectToken("query.module.api_name")?.Value<string>() ?? "";
        var fields = body.SelectToken("query.fields") is JArray named ? named.Values<string>().OfType<string>().ToList() : [];
        var page = body.SelectToken("query.page")?.Value<int>() ?? 1;
        if (modules(moduleName) is null)
        {
            await ZohoReply.Error(context, 400, "INVALID_MODULE", "the module name given seems to be invalid", new JObject { ["api_name"] = "module" });
            return;
        }
        if (page < 1)
        {
            await ZohoReply.Error(context, 400, "INVALID_DATA", "invalid data", new JObject { ["api_name"] = "page" });
            return;
        }
        var job = NewJob(new ReadJob(moduleName, fields, page));
        await ZohoReply.Json(context, 201, new JObject
        {
            ["data"] = new JArray(new JObject
            {
                ["status"] = "success",
                ["code"] = "ADDED",
                ["message"] = "Added successfully.",
                ["details"] = new JObject { ["id"] = job.Id, ["operation"] = "read", ["state"] = "ADDED", ["created_time"] = Render(job.Created) },
            }),
            ["info"] = new JObject(),
        });
    }

    public async Task ReadStatusAsync(HttpContext context)
    {
        if (!await accounts.AuthenticateAsync(context)) return;
        if (await JobAsync(context) is not { Read: { } read } job) return;
        var store = modules(read.Module)!;
        var details = new JObject
        {
            ["id"] = job.Id,
            ["operation"] = "read",
            ["state"] = Done(job) ? "COMPLETED" : "IN PROGRESS",
            ["query"] = new JObject { ["module"] = new JObject { ["api_name"] = read.Module }, ["page"] = read.Page },
            ["created_time"] = Render(job.Created),
            ["file_type"] = "csv",
        };
        if (Done(job))
        {
            var total = store.Count;
            var count = Math.Clamp(total - (read.Page - 1) * BulkReadPage, 0, BulkReadPage);
            details["result"] = new JObject
            {
                ["page"] = read.Page,
                ["per_page"] = BulkReadPage,
                ["count"] = count,
                ["download_url"] = $"/crm/bulk/v8/read/{job.Id}/result",
                ["more_records"] = (long)read.Page * BulkReadPage < total,
            };
        }
        await ZohoReply.Json(context, 200, new JObject { ["data"] = new JArray(details) });
    }

    public async Task ReadResultAsync(HttpContext context)
    {
        if (!await accounts.AuthenticateAsync(context)) return;
        if (await JobAsync(context) is not { Read: { } read } job) return;
        if (!Done(job))
        {
            await ZohoReply.Error(context, 400, "INVALID_REQUEST", "the job is not completed yet", new JObject { ["job_id"] = job.Id });
            return;
        }
        var records = modules(read.Module)!.ById((read.Page - 1) * BulkReadPage, BulkReadPage);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/zip";
        context.Response.Headers.ContentDisposition = $"attachment; filename={job.Id}.zip";
        // The ZIP is written to a buffer first: ZipArchive writes synchronously, which Kestrel refuses on its own stream.
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        await using (var text = new StreamWriter(archive.CreateEntry($"{job.Id}.csv", CompressionLevel.Fastest).Open(), new UTF8Encoding(false)))
        await using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            csv.WriteField("Id");
            foreach (var field in read.Fields) csv.WriteField(field);
            await csv.NextRecordAsync();
            foreach (var record in records)
            {
                csv.WriteField(record.Value<string>("id"));
                foreach (var field in read.Fields) csv.WriteField(Cell(record[field]));
                await csv.NextRecordAsync();
            }
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async Task UploadAsync(HttpContext context)
    {
        if (!await accounts.AuthenticateAsync(context)) return;
        if (context.Request.Headers["feature"].ToString() != "bulk-write" || StringValues.IsNullOrEmpty(context.Request.Headers["X-CRM-ORG"]))
        {
            await ZohoReply.Error(context, 400, "INVALID_REQUEST", "the feature and X-CRM-ORG headers are required", new JObject());
            return;
        }
        if (!context.Request.HasFormContentType || (await context.Request.ReadFormAsync(context.RequestAborted)).Files.GetFile("file") is not { } file)
        {
            await ZohoReply.Error(context, 400, "REQUIRED_PARAM_MISSING", "the file is missing", new JObject { ["param_name"] = "file" });
            return;
        }
        using var content = new MemoryStream();
        await file.CopyToAsync(content, context.RequestAborted);
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        _files[id] = content.ToArray();
        await ZohoReply.Json(context, 200, new JObject
        {
            ["status"] = "success",
            ["code"] = "FILE_UPLOAD_SUCCESS",
            ["message"] = "file uploaded.",
            ["details"] = new JObject { ["file_id"] = id, ["created_time"] = Render(clock.GetUtcNow()) },
        });
    }

    public async Task CreateWriteAsync(HttpContext context)
    {
        if (!await accounts.AuthenticateAsync(context)) return;
        if (await BodyAsync(context) is not { } body) return;
        var resource = body["resource"] is JArray { Count: 1 } list ? list[0] as JObject : null;
        var moduleName = resource?.SelectToken("module.api_name")?.Value<string>() ?? "";
        var fileId = resource?.Value<string>("file_id") ?? "";
        var findBy = resource?.Value<string>("find_by");
        var operation = body.Value<string>("operation");
        var store = modules(moduleName);
        var problem = store is null ? "module" : !_files.ContainsKey(fileId) ? "file_id"
            : operation is not ("insert" or "update" or "upsert") ? "operation"
            : operation != "insert" && string.IsNullOrEmpty(findBy) ? "find_by" : null;
        if (problem is not null || store is null)
        {
            await ZohoReply.Error(context, 400, "INVALID_DATA", "invalid data", new JObject { ["api_name"] = problem });
            return;
        }
        var zip = _files[fileId];
        var mappings = resource!["field_mappings"] is JArray fieldMappings
            ? fieldMappings.OfType<JObject>().ToDictionary(m => m.Value<int>("index"), m => m.Value<string>("api_name")!)
            : [];
        var rows = ReadRows(zip);
        if (rows.Count > MaxRowsPerBulkFile)
        {
            await ZohoReply.Error(context, 400, "LIMIT_EXCEEDED", "the file holds more rows than allowed", new JObject { ["limit"] = MaxRowsPerBulkFile });
            return;
        }
        var job = NewJob(write: new WriteJob(store, operation!, findBy, mappings, rows));
        await ZohoReply.Json(context, 201, new JObject
        {
            ["status"] = "success",
            ["code"] = "ADDED_SUCCESSFULLY",
            ["message"] = "Added successfully.",
            ["details"] = new JObject { ["id"] = job.Id, ["created_by"] = new JObject { ["id"] = "4150868000000225013", ["name"] = "Sandbox Admin" } },
        });
    }

    public async Task WriteStatusAsync(HttpContext context)
    {
        if (!await accounts.AuthenticateAsync(context)) return;
        if (await JobAsync(context) is not { Write: { } write } job) return;
        var body = new JObject
        {
            ["id"] = job.Id,
            ["operation"] = write.Operation,
            ["status"] = Done(job) ? "COMPLETED" : "IN PROGRESS",
            ["created_time"] = Render(job.Created),
        };
        if (Done(job))
        {
            var result = Process(write);
            body["resource"] = new JArray(new JObject
            {
                ["status"] = "COMPLETED",
                ["type"] = "data",
                ["module"] = new JObject { ["api_name"] = write.Store.ApiName },
                ["file"] = new JObject
                {
                    ["status"] = "COMPLETED",
                    ["added_count"] = result.Count(r => r.Status == "ADDED"),
                    ["updated_count"] = result.Count(r => r.Status == "UPDATED"),
                    ["skipped_count"] = result.Count(r => r.Status == "SKIPPED"),
                    ["total_count"] = result.Count,
                },
            });
            body["result"] = new JObject { ["download_url"] = new Uri(baseUrl(), $"crm/bulk/v8/write/{job.Id}/result").ToString() };
        }
        await ZohoReply.Json(context, 200, body);
    }

    public async Task WriteResultAsync(HttpContext context)
    {
        if (!await accounts.AuthenticateAsync(context)) return;
        if (await JobAsync(context) is not { Write: { Result: { } result } } job) return;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/zip";
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        await using (var text = new StreamWriter(archive.CreateEntry($"{job.Id}.csv", CompressionLevel.Fastest).Open(), new UTF8Encoding(false)))
        await using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            foreach (var header in new[] { "STATUS", "RECORD_ID", "ERRORS" }) csv.WriteField(header);
            await csv.NextRecordAsync();
            foreach (var row in result)
            {
                csv.WriteField(row.Status);
                csv.WriteField(row.RecordId);
                csv.WriteField(row.Errors);
                await csv.NextRecordAsync();
            }
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private List<ResultRow> Process(WriteJob write)
    {
        lock (write)
        {
            if (write.Result is not null) return write.Result;
            var result = new List<ResultRow>(write.Rows.Count);
            for (var i = 0; i < write.Rows.Count; i++)
            {
                var item = new JObject();
                foreach (var (index, field) in write.Mappings)
                {
                    var cell = index < write.Rows[i].Length ? write.Rows[i][index] : "";
                    item[field] = cell.Length == 0 ? JValue.CreateNull() : cell;
                }
                var outcome = write.Operation == "insert"
                    ? write.Store.Upsert(item, i, [])
                    : write.Store.Upsert(item, i, [write.FindBy!]);
                if (ZohoModuleStore.Succeeded(outcome))
                {
                    result.Add(new ResultRow(outcome.Value<string>("action") == "update" ? "UPDATED" : "ADDED", outcome["details"]!.Value<string>("id")!, ""));
                }
                else
                {
                    result.Add(new ResultRow("SKIPPED", "", $"{outcome.Value<string>("code")}-{outcome["details"]?.Value<string>("api_name")}"));
                }
            }
            write.Result = result;
            return result;
        }
    }

    private static List<string[]> ReadRows(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var text = new StreamReader(archive.Entries[0].Open());
        using var csv = new CsvReader(text, CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        if (!csv.Read()) return rows;
        csv.ReadHeader();
        while (csv.Read()) rows.Add(csv.Parser.Record ?? []);
        return rows;
    }

    private Job NewJob(ReadJob? read = null, WriteJob? write = null)
    {
        var job = new Job(Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture), clock.GetUtcNow(), read, write);
        _jobs[job.Id] = job;
        return job;
    }

    private bool Done(Job job) => clock.GetUtcNow() - job.Created >= options.BulkJobDuration;

    private async Task<Job?> JobAsync(HttpContext context)
    {
        var id = context.Request.RouteValues["jobId"] as string ?? "";
        if (_jobs.TryGetValue(id, out var job)) return job;
        await ZohoReply.Error(context, 400, "INVALID_DATA", "the job id given seems to be invalid", new JObject { ["job_id"] = id });
        return null;
    }

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

    private static async Task<JObject?> BodyAsync(HttpContext context)
    {
        try
        {
            using var text = new StreamReader(context.Request.Body);
            return JObject.Parse(await text.ReadToEndAsync(context.RequestAborted));
        }
        catch (JsonException)
        {
            await ZohoReply.Error(context, 400, "INVALID_DATA", "body is not valid JSON");
            return null;
        }
    }

    private static string Cell(JToken? value) => value switch
    {
        null or JValue { Type: JTokenType.Null } => "",
        JObject lookup => lookup.Value<string>("id") ?? "",
        JValue scalar => Convert.ToString(scalar.Value, CultureInfo.InvariantCulture) ?? "",
        _ => value.ToString(Formatting.None),
    };

    private string Render(DateTimeOffset instant) =>
        instant.ToOffset(options.TimeZone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string? Parameter(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value) ? value.ToString() : null;

    private sealed record Job(string Id, DateTimeOffset Created, ReadJob? Read, WriteJob? Write);

    private sealed record ReadJob(string Module, IReadOnlyList<string> Fields, int Page);

    private sealed class WriteJob(ZohoModuleStore store, string operation, string? findBy, Dictionary<int, string> mappings, List<string[]> rows)
    {
        public ZohoModuleStore Store { get; } = store;
        public string Operation { get; } = operation;
        public string? FindBy { get; } = findBy;
        public Dictionary<int, string> Mappings { get; } = mappings;
        public List<string[]> Rows { get; } = rows;
        public List<ResultRow>? Result { get; set; }
    }

    private sealed record ResultRow(string Status, string RecordId, string Errors);
}

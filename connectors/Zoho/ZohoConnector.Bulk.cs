using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Connectors.Core.Connectors;
using Connectors.Core.Records;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Refit;

namespace Connectors.Zoho;

// What reconciliation and backfills need beyond reads and writes: deletes, the deleted-records list,
// counts, bulk read and bulk write (shared reference zoho-crm.md §2.3, §3.1, §5.2, §6), and the
// per-call limits and credit costs a run plans with.
public sealed partial class ZohoConnector : IRecordDeleter, IDeletedRecordSource, IBulkSource, IBulkTarget, IApiLimits
{
    /// <summary>Records in one bulk read job's result page.</summary>
    public const int MaxRecordsPerBulkRead = 200_000;

    /// <summary>Records in one bulk write file (one CSV in one ZIP).</summary>
    public const int MaxRecordsPerBulkFile = 25_000;

    /// <summary>
    /// Records handed on per page while a bulk read result is streamed from its file: few, so that a caller working a page at
    /// a time holds little at once and the parsed records are collected while young.
    /// </summary>
    public const int BulkReadChunk = 100;

    /// <summary>Credits per call (shared reference zoho-crm.md §5.2): default 1; deleted list 2; writes 1 per 10 records; bulk read job 50; bulk write job 500.</summary>
    public const int BulkReadJobCredits = 50;

    /// <summary>Credits a bulk write job costs.</summary>
    public const int BulkWriteJobCredits = 500;

    private static readonly CsvConfiguration Csv = new(CultureInfo.InvariantCulture) { BadDataFound = null };

    /// <inheritdoc />
    public int RecordsPerCall(ApiOperation operation, string stream) => operation switch
    {
        ApiOperation.List or ApiOperation.ListDeleted => MaxPageSize,
        ApiOperation.ReadByIds => MaxIdsPerRead,
        ApiOperation.Write or ApiOperation.Delete => MaxRecordsPerWrite,
        ApiOperation.BulkReadJob => MaxRecordsPerBulkRead,
        ApiOperation.BulkWriteJob => MaxRecordsPerBulkFile,
        _ => 1,
    };

    /// <inheritdoc />
    public int CreditsPerCall(ApiOperation operation, int records) => operation switch
    {
        ApiOperation.ListDeleted => 2,
        ApiOperation.Write => Math.Max(1, (records + 9) / 10),
        ApiOperation.BulkReadJob => BulkReadJobCredits,
        ApiOperation.BulkWriteJob => BulkWriteJobCredits,
        _ => 1,
    };

    /// <inheritdoc />
    /// <remarks>At most <see cref="MaxRecordsPerWrite"/> ids a call, workflows off (<c>wf_trigger=false</c>).</remarks>
    public async Task<IReadOnlyList<DeleteOutcome>> DeleteAsync(string stream, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentNullException.ThrowIfNull(ids);
        var outcomes = new List<DeleteOutcome>(ids.Count);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(MaxRecordsPerWrite))
        {
            using var response = await CallAsync(() => _api.DeleteRecordsAsync(stream, string.Join(',', chunk), "false", cancellationToken),
                cancellationToken).ConfigureAwait(false);
            var operation = $"Deleting {chunk.Length} {stream} record(s)";
            var results = response.IsSuccessStatusCode ? response.Content?.Data : PerRecordResults(response);
            if (results is null) throw response.IsSuccessStatusCode ? Unexpected($"{operation} returned no body.") : Failure(response, operation);
            if (results.Count != chunk.Length) throw Unexpected($"{operation} returned {results.Count} result(s) for {chunk.Length} id(s).");
            outcomes.AddRange(chunk.Select((id, i) => results[i].Status == "success" || results[i].Code == "SUCCESS"
                ? new DeleteOutcome(id, true)
                : new DeleteOutcome(id, false, results[i].Code, results[i].Message)));
        }
        return outcomes;
    }

    /// <inheritdoc />
    /// <remarks>Recycle bin and permanently deleted records (<c>type=all</c>), 200 a page by page number.</remarks>
    public async IAsyncEnumerable<IReadOnlyList<string>> ReadDeletedIdsAsync(string stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        for (var page = 1; ; page++)
        {
            using var response = await CallAsync(() => _api.ListDeletedAsync(stream, "all", page, MaxPageSize, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotModified) yield break;
            if (!response.IsSuccessStatusCode) throw Failure(response, $"Listing deleted {stream}");
            var body = response.Content ?? throw Unexpected($"Listing deleted {stream} returned no body.");
            var ids = body.Data.Select(d => d.Id).OfType<string>().ToList();
            if (ids.Count > 0) yield return ids;
            if (body.Info is not { MoreRecords: true } || ids.Count == 0) yield break;
        }
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(string stream, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        using var response = await CallAsync(() => _api.CountAsync(stream, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent) return 0;
        if (!response.IsSuccessStatusCode) throw Failure(response, $"Counting {stream}");
        return response.Content?.Count ?? throw Unexpected($"Counting {stream} returned no body.");
    }

    /// <inheritdoc />
    /// <remarks>
    /// One job per 200,000 records (<c>page</c> 1, 2, …): create, poll every <see cref="ZohoOptions.BulkPollInterval"/>
    /// on the clock, download the ZIP to a temporary file and stream its CSV in pages of <see cref="BulkReadChunk"/>.
    /// Cells come back as text; empty cells as null.
    /// </remarks>
    public async IAsyncEnumerable<RecordPage> ReadAllInBulkAsync(string stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        var fields = FieldList(stream).Split(',');
        for (var page = 1; ; page++)
        {
            var request = new ZohoBulkReadRequest { Query = { Module = { ApiName = stream }, Fields = [.. fields], Page = page } };
            string jobId;
            using (var created = await CallAsync(() => _api.CreateBulkReadAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                if (!created.IsSuccessStatusCode) throw Failure(created, $"Creating a bulk read of {stream}");
                jobId = created.Content?.JobId ?? throw Unexpected($"Creating a bulk read of {stream} returned no job id.");
            }
            var result = await AwaitBulkReadAsync(stream, jobId, cancellationToken).ConfigureAwait(false);
            _log.LogDebug("{System}: bulk read {Job} of {Module} page {Page} holds {Count} record(s)", System, jobId, stream, page, result.Count);
            if (result.Count > 0)
            {
                await foreach (var records in DownloadBulkReadAsync(stream, jobId, cancellationToken).ConfigureAwait(false))
                {
                    yield return new RecordPage(records, Checkpoint: null);
                }
            }
            if (!result.MoreRecords) yield break;
        }
    }

    /// <inheritdoc />
    public int MaxBulkBatchSize(string stream) => MaxRecordsPerBulkFile;

    /// <inheritdoc />
    /// <remarks>
    /// One upsert job per file of at most <see cref="MaxRecordsPerBulkFile"/> records that share their match
    /// fields (<c>find_by</c> is the first): the ZIP goes to the upload host, the job is polled on the clock,
    /// and the result file (one row per uploaded row, in order, with <c>STATUS</c>, <c>RECORD_ID</c> and
    /// <c>ERRORS</c>) gives each record's outcome.
    /// </remarks>
    public async Task<IReadOnlyList<WriteOutcome>> WriteInBulkAsync(string stream, IReadOnlyList<WriteRequest> batch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Any(r => r.TargetId is not null)) throw new ArgumentException("A bulk write creates or updates by match fields; linked records go through WriteAsync.", nameof(batch));
        var upload = _upload ?? throw new ConnectorException(System, ConnectorErrorCode.InvalidRequest, "This connector was built without an upload client.");
        var organization = _options.OrganizationId ?? throw new ConnectorException(System, ConnectorErrorCode.InvalidRequest,
            "Bulk writes need the org id: set OrganizationId in the system's options.");
        var outcomes = new List<WriteOutcome>(batch.Count);
        foreach (var group in batch.GroupBy(r => string.Join(',', r.MatchFields), StringComparer.Ordinal))
        {
            foreach (var chunk in group.Chunk(MaxRecordsPerBulkFile))
            {
                outcomes.AddRange(await WriteBulkFileAsync(stream, chunk, upload, organization, cancellationToken).ConfigureAwait(false));
            }
        }
        return outcomes;
    }

    private async Task<List<WriteOutcome>> WriteBulkFileAsync(string stream, WriteRequest[] chunk, IZohoUploadApi upload, string organization,
        CancellationToken cancellationToken)
    {
        var findBy = chunk[0].MatchFields.FirstOrDefault()
            ?? throw new ArgumentException("A bulk upsert needs a match field to find existing records by.", nameof(chunk));
        var columns = chunk.SelectMany(r => r.Payload.Properties().Select(p => p.Name)).Distinct(StringComparer.Ordinal).ToList();
        string fileId;
        await using (var zip = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose))
        {
            using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
            await using (var text = new StreamWriter(archive.CreateEntry($"{stream}.csv", CompressionLevel.Fastest).Open(), new UTF8Encoding(false)))
            await using (var csv = new CsvWriter(text, Csv))
            {
                foreach (var column in columns) csv.WriteField(column);
                await csv.NextRecordAsync().ConfigureAwait(false);
                foreach (var request in chunk)
                {
                    foreach (var column in columns) csv.WriteField(Cell(request.Payload[column]));
                    await csv.NextRecordAsync().ConfigureAwait(false);
                }
            }
            zip.Position = 0;
            using var uploaded = await CallAsync(() => upload.UploadAsync("bulk-write", organization,
                new StreamPart(zip, $"{stream}.zip", "application/zip"), cancellationToken), cancellationToken).ConfigureAwait(false);
            if (!uploaded.IsSuccessStatusCode) throw Failure(uploaded, $"Uploading a bulk write file of {chunk.Length} {stream} record(s)");
            fileId = uploaded.Content?.Details?.Value<string>("file_id") ?? throw Unexpected("The bulk write upload returned no file id.");
        }

        var job = new ZohoBulkWriteRequest
        {
            Operation = "upsert",
            Resource =
            [
                new ZohoBulkWriteResource
                {
                    Module = { ApiName = stream }, FileId = fileId, FindBy = findBy,
                    FieldMappings = [.. columns.Select((name, index) => new ZohoFieldMapping { ApiName = name, Index = index })],
                },
            ],
        };
        string jobId;
        using (var created = await CallAsync(() => _api.CreateBulkWriteAsync(job, cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            if (!created.IsSuccessStatusCode) throw Failure(created, $"Creating a bulk write of {stream}");
            jobId = created.Content?.JobId ?? throw Unexpected($"Creating a bulk write of {stream} returned no job id.");
        }
        var downloadUrl = await AwaitBulkWriteAsync(stream, jobId, cancellationToken).ConfigureAwait(false);

        using var download = await CallRawAsync(() => _api.Client.GetAsync(downloadUrl, HttpCompletionOption.ResponseHeadersRead, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        if (!download.IsSuccessStatusCode) throw Unexpected($"Downloading the result of bulk write {jobId} answered HTTP {(int)download.StatusCode}.");
        var outcomes = new List<WriteOutcome>(chunk.Length);
        await using (var file = await SpoolAsync(download, cancellationToken).ConfigureAwait(false))
        using (var archive = new ZipArchive(file, ZipArchiveMode.Read))
        using (var text = new StreamReader(archive.Entries.FirstOrDefault()?.Open() ?? throw Unexpected($"The result of bulk write {jobId} holds no file.")))
        using (var csv = new CsvReader(text, Csv))
        {
            await csv.ReadAsync().ConfigureAwait(false);
            csv.ReadHeader();
            var row = 0;
            while (await csv.ReadAsync().ConfigureAwait(false))
            {
                if (row >= chunk.Length) throw Unexpected($"The result of bulk write {jobId} has more rows than the {chunk.Length} uploaded.");
                outcomes.Add(BulkOutcome(chunk[row++].Source, csv.GetField("STATUS"), csv.GetField("RECORD_ID"), csv.GetField("ERRORS")));
            }
            if (row != chunk.Length) throw Unexpected($"The result of bulk write {jobId} has {row} row(s) for {chunk.Length} uploaded.");
        }
        return outcomes;
    }

    private static WriteOutcome BulkOutcome(RecordKey source, string? status, string? recordId, string? errors)
    {
        switch (status?.ToUpperInvariant())
        {
            case "ADDED" or "UPDATED" when !string.IsNullOrEmpty(recordId):
                return new WriteOutcome.Written(source, recordId, Created: status.Equals("ADDED", StringComparison.OrdinalIgnoreCase));
            case "UNPROCESSED":
                return new WriteOutcome.RetryLater(source, PerRecordRetryAfter, "Zoho did not process this row of the bulk write.");
            default:
                // ERRORS reads CODE-Column[:CODE-Column…]; the first names the code and the field blamed.
                var first = (errors ?? "").Split(':')[0];
                var dash = first.IndexOf('-', StringComparison.Ordinal);
                var code = dash > 0 ? first[..dash] : first.Length > 0 ? first : "SKIPPED";
                return new WriteOutcome.Rejected(source, code, dash > 0 ? first[(dash + 1)..].Split(',')[0] : null,
                    $"Zoho skipped this row of the bulk write: {(errors is { Length: > 0 } ? errors : "no reason given")}.");
        }
    }

    private async Task<ZohoBulkReadResult> AwaitBulkReadAsync(string stream, string jobId, CancellationToken cancellationToken)
    {
        var deadline = _clock.GetUtcNow() + _options.BulkJobTimeout;
        while (true)
        {
            using var response = await CallAsync(() => _api.GetBulkReadAsync(jobId, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw Failure(response, $"Asking for bulk read {jobId} of {stream}");
            var job = response.Content?.Data.FirstOrDefault() ?? throw Unexpected($"Bulk read {jobId} of {stream} has no details.");
            switch (job.State)
            {
                case "COMPLETED":
                    return job.Result ?? throw Unexpected($"Bulk read {jobId} of {stream} completed without a result.");
                case "FAILED":
                    throw new ConnectorException(System, ConnectorErrorCode.Unavailable, $"Bulk read {jobId} of {stream} failed at Zoho.");
            }
            await WaitForJobAsync($"bulk read {jobId} of {stream}", deadline, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> AwaitBulkWriteAsync(string stream, string jobId, CancellationToken cancellationToken)
    {
        var deadline = _clock.GetUtcNow() + _options.BulkJobTimeout;
        while (true)
        {
            using var response = await CallAsync(() => _api.GetBulkWriteAsync(jobId, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw Failure(response, $"Asking for bulk write {jobId} of {stream}");
            var job = response.Content ?? throw Unexpected($"Bulk write {jobId} of {stream} has no details.");
            switch (job.Status)
            {
                case "COMPLETED":
                    return job.Result?.Value<string>("download_url") ?? throw Unexpected($"Bulk write {jobId} of {stream} completed without a result file.");
                case "FAILED":
                    throw new ConnectorException(System, ConnectorErrorCode.InvalidRequest, $"Bulk write {jobId} of {stream} failed at Zoho.");
            }
            await WaitForJobAsync($"bulk write {jobId} of {stream}", deadline, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WaitForJobAsync(string job, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        if (_clock.GetUtcNow() + _options.BulkPollInterval > deadline)
        {
            throw new ConnectorException(System, ConnectorErrorCode.Unavailable, $"{job} did not finish within {_options.BulkJobTimeout}.");
        }
        await Task.Delay(_options.BulkPollInterval, _clock, cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<List<Record>> DownloadBulkReadAsync(string stream, string jobId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await CallRawAsync(() => _api.DownloadBulkReadAsync(jobId, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw Unexpected($"Downloading bulk read {jobId} of {stream} answered HTTP {(int)response.StatusCode}.");
        // ZipArchive needs to seek, and a page of 200,000 records is too much to hold: spool to a temporary file.
        await using var file = await SpoolAsync(response, cancellationToken).ConfigureAwait(false);
        using var archive = new ZipArchive(file, ZipArchiveMode.Read);
        using var text = new StreamReader(archive.Entries.FirstOrDefault()?.Open() ?? throw Unexpected($"Bulk read {jobId} of {stream} holds no file."));
        using var csv = new CsvReader(text, Csv);
        await csv.ReadAsync().ConfigureAwait(false);
        csv.ReadHeader();
        var header = csv.HeaderRecord ?? throw Unexpected($"Bulk read {jobId} of {stream} has no header row.");
        var records = new List<Record>(BulkReadChunk);
        while (await csv.ReadAsync().ConfigureAwait(false))
        {
            var data = new JObject();
            for (var i = 0; i < header.Length; i++)
            {
                var cell = csv.GetField(i);
                // The export names the record id "Id"; records keep Zoho's own "id", as the records API returns it.
                data[header[i] == "Id" ? "id" : header[i]] = string.IsNullOrEmpty(cell) ? JValue.CreateNull() : cell;
            }
            records.Add(ToRecord(stream, data));
            if (records.Count < BulkReadChunk) continue;
            yield return records;
            records = new List<Record>(BulkReadChunk);
        }
        if (records.Count > 0) yield return records;
    }

    /// <summary>Makes a call answered by a raw message (a file download) and turns "no answer at all" into a <see cref="ConnectorException"/>.</summary>
    private async Task<HttpResponseMessage> CallRawAsync(Func<Task<HttpResponseMessage>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ApiRequestException e) when (e.InnerException is ConnectorException inner)
        {
            global::System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            throw;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not ConnectorException && IsUnreachable(e))
        {
            throw NoAnswer(e);
        }
    }

    private static async Task<FileStream> SpoolAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        file.Position = 0;
        return file;
    }

    private static string Cell(JToken? value) => value switch
    {
        null or JValue { Type: JTokenType.Null } => "",
        JObject lookup when lookup["id"] is { } id => (string?)id ?? "",
        JValue { Type: JTokenType.Boolean } flag => (bool)flag ? "true" : "false",
        JValue scalar => Convert.ToString(scalar.Value, CultureInfo.InvariantCulture) ?? "",
        _ => value.ToString(Newtonsoft.Json.Formatting.None),
    };
}

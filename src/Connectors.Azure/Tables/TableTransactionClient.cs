using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Connectors.Azure.Tables;

/// <summary>
/// Submits entity-group transactions on one table, written and read as the plain multipart text the
/// service documents. The SDK builds a whole HTTP message per action and parses the answer line by line
/// through a buffered stream; under a burst of webhooks that was a quarter of the server's CPU, for a
/// body that is a fixed frame around one line of JSON per row. Requests go through the same pipeline
/// as the SDK's clients (authentication, retries, timeouts).
/// </summary>
internal sealed class TableTransactionClient
{
    // The service's limit on the actions of one transaction.
    public const int MaxActions = 100;

    private const string ServiceVersion = "2019-02-02";
    private const string Json = "application/json;odata=minimalmetadata";
    private const string ActionHeaders = $"Accept: {Json}\r\nContent-Type: application/json\r\nDataServiceVersion: 3.0\r\n\r\n";

    // The pooled buffer an answer is first read into, doubled while the answer goes on.
    private const int AnswerBytes = 16 * 1024;

    private readonly HttpPipeline _pipeline;
    private readonly Uri _batchUri;
    private readonly string _tableUri;

    /// <param name="pipeline">The account's pipeline: it signs the requests and retries them.</param>
    /// <param name="tableServiceUri">The account's table endpoint.</param>
    /// <param name="tableName">The table the transactions write.</param>
    public TableTransactionClient(HttpPipeline pipeline, Uri tableServiceUri, string tableName)
    {
        _pipeline = pipeline;
        var service = tableServiceUri.AbsoluteUri.TrimEnd('/');
        _batchUri = new Uri(service + "/$batch");
        _tableUri = service + "/" + tableName;
    }

    /// <summary>Inserts the rows, all of one partition, or none of them if any exists.</summary>
    public Task<TransactionOutcome> InsertAsync(IReadOnlyList<TableRow> rows, CancellationToken cancellationToken) =>
        SubmitAsync(rows, upsert: false, cancellationToken);

    /// <summary>Writes the rows, all of one partition, in place of whatever they replace.</summary>
    public Task<TransactionOutcome> UpsertAsync(IReadOnlyList<TableRow> rows, CancellationToken cancellationToken) =>
        SubmitAsync(rows, upsert: true, cancellationToken);

    private async Task<TransactionOutcome> SubmitAsync(IReadOnlyList<TableRow> rows, bool upsert, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rows.Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows.Count, MaxActions);
        var batch = "batch_" + Guid.NewGuid().ToString("N");
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(_batchUri);
        request.Headers.Add("Content-Type", "multipart/mixed; boundary=" + batch);
        request.Headers.Add("x-ms-version", ServiceVersion);
        request.Headers.Add("DataServiceVersion", "3.0");
        request.Headers.Add("MaxDataServiceVersion", "3.0;NetFx");
        request.Headers.Add("Accept", Json);
        request.Content = RequestContent.Create(Body(batch, rows, upsert));
        // The answer is read here into a pooled buffer: buffered by the pipeline, it grew a new stream for every
        // transaction, a few hundred bytes an action (each names its entity's URL twice).
        message.BufferResponse = false;
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (response.Status != 202)
        {
            // Refused as a whole (authentication, a malformed body, the service unavailable after the retries).
            // The answer's body is not repeated: only the status and the service's error code, which hold no secret.
            response.Headers.TryGetValue("x-ms-error-code", out var code);
            throw new RequestFailedException(response.Status, $"The table service refused the transaction: {response.Status} {code}".TrimEnd(), code, null);
        }
        var answer = ArrayPool<byte>.Shared.Rent(AnswerBytes);
        try
        {
            var length = 0;
            int read;
            while (response.ContentStream is { } stream && (read = await stream.ReadAsync(answer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length < answer.Length) continue;
                var larger = ArrayPool<byte>.Shared.Rent(answer.Length * 2);
                answer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(answer);
                answer = larger;
            }
            return Read(answer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(answer);
        }
    }

    private ReadOnlyMemory<byte> Body(string batch, IReadOnlyList<TableRow> rows, bool upsert)
    {
        var changeset = "changeset_" + Guid.NewGuid().ToString("N");
        var body = new ArrayBufferWriter<byte>(512 + rows.Count * 512);
        Write(body, $"--{batch}\r\nContent-Type: multipart/mixed; boundary={changeset}\r\n\r\n");
        // What comes before each action's entity is the same for every action of an insert: written out once.
        var part = Encoding.UTF8.GetBytes($"--{changeset}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
        var insert = upsert ? [] : Encoding.UTF8.GetBytes($"POST {_tableUri} HTTP/1.1\r\nPrefer: return-no-content\r\n{ActionHeaders}");
        using var json = new Utf8JsonWriter(body);
        foreach (var row in rows)
        {
            body.Write(part);
            if (upsert)
            {
                Write(body, $"PUT {_tableUri}(PartitionKey='{Key(row.PartitionKey)}',RowKey='{Key(row.RowKey)}') HTTP/1.1\r\n{ActionHeaders}");
            }
            else
            {
                body.Write(insert);
            }
            json.Reset(body);
            json.WriteStartObject();
            json.WriteString("PartitionKey", row.PartitionKey);
            json.WriteString("RowKey", row.RowKey);
            foreach (var (name, value) in row.Properties) json.WriteString(name, value);
            json.WriteEndObject();
            json.Flush();
            body.Write("\r\n"u8);
        }
        Write(body, $"--{changeset}--\r\n--{batch}--\r\n");
        return body.WrittenMemory;
    }

    /// <summary>A key as it goes in the path: quotes doubled, as OData wants, then escaped as the URI wants.</summary>
    private static string Key(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    private static void Write(ArrayBufferWriter<byte> body, string text) => body.Advance(Encoding.UTF8.GetBytes(text, body.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length))));

    /// <summary>
    /// The outcome in a changeset's answer: one status line per action when all were applied, or the one
    /// action that failed, whose error message starts with its index (<c>"3:The specified entity already exists."</c>).
    /// </summary>
    private static TransactionOutcome Read(ReadOnlySpan<byte> answer)
    {
        var statusLine = "HTTP/1.1 "u8;
        while (answer.IndexOf(statusLine) is var at and >= 0)
        {
            answer = answer[(at + statusLine.Length)..];
            if (answer.Length < 3 || !int.TryParse(answer[..3], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                throw new RequestFailedException(202, "The table service's answer to a transaction has a malformed status line.");
            }
            if (status is >= 200 and < 300) continue;
            return Failure(status, answer);
        }
        return TransactionOutcome.Applied;
    }

    private static TransactionOutcome Failure(int status, ReadOnlySpan<byte> answer)
    {
        var start = answer.IndexOf("{"u8);
        if (start < 0) return new TransactionOutcome(status, null, null);
        var reader = new Utf8JsonReader(answer[start..]);
        string? code = null, text = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName) continue;
                if (reader.ValueTextEquals("code") && reader.Read()) code = reader.GetString();
                else if (reader.ValueTextEquals("value") && reader.Read()) text = reader.GetString();
                if (code is not null && text is not null) break;
            }
        }
        catch (JsonException)
        {
            // A body cut short after the fields that matter; whatever was read stands.
        }
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        int? index = colon > 0 && int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var failed) ? failed : null;
        return new TransactionOutcome(status, index, code);
    }
}

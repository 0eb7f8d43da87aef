using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// One bulk query operation in the emulated store. It is planned when created (the nodes it will export are
/// fixed then, by id), runs for <see cref="ShopifySandboxOptions.BulkOperationDuration"/> on the sandbox clock,
/// then is <c>COMPLETED</c> (or <c>FAILED</c> when a failure was switched on), and its result URL expires seven
/// days after it completed (<c>EXPIRED</c>). The JSONL itself is written from the store when the URL is read.
/// Callers hold the sandbox lock.
/// </summary>
internal sealed class SandboxBulkOperation
{
    /// <summary>How long a result URL stays readable after the operation completed.</summary>
    public static readonly TimeSpan UrlLifetime = TimeSpan.FromDays(7);

    public required long Id { get; init; }

    public string Gid => $"gid://shopify/BulkOperation/{Id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The query document as sent.</summary>
    public required string Query { get; init; }

    public required BulkQuery Plan { get; init; }

    /// <summary>Whether child lines follow their parent (Shopify's <c>groupObjects</c>).</summary>
    public required bool GroupObjects { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it stops running: created + the sandbox's bulk operation duration.</summary>
    public required DateTimeOffset FinishesAt { get; init; }

    /// <summary>The error code it fails with, or <see langword="null"/> when it completes.</summary>
    public required string? FailsWith { get; init; }

    /// <summary>The root nodes it exports, in id order.</summary>
    public required IReadOnlyList<long> Ids { get; init; }

    /// <summary>Root nodes plus the items of their nested connections.</summary>
    public required long ObjectCount { get; init; }

    /// <summary>The secret part of the result URL: the URL works without the access token, as a signed storage URL does.</summary>
    public required string Signature { get; init; }

    /// <summary>The store's GraphQL shape of one root node by id, or <see langword="null"/> if it is gone.</summary>
    public required Func<long, JObject?> Node { get; init; }

    /// <summary>The status at <paramref name="now"/>: CREATED, RUNNING, COMPLETED, FAILED or EXPIRED.</summary>
    public string Status(DateTimeOffset now)
    {
        if (now < FinishesAt) return now > CreatedAt ? "RUNNING" : "CREATED";
        if (FailsWith is not null) return "FAILED";
        return now >= FinishesAt + UrlLifetime ? "EXPIRED" : "COMPLETED";
    }

    /// <summary>Whether it still holds the slot a new bulk query needs.</summary>
    public bool InProgress(DateTimeOffset now) => Status(now) is "CREATED" or "RUNNING";

    /// <summary>The path of its result file on the sandbox server.</summary>
    public string ResultPath => $"bulk-operation-results/{Id.ToString(CultureInfo.InvariantCulture)}.jsonl";

    /// <summary>Every field of the BulkOperation object at <paramref name="now"/>; answers keep the selected ones.</summary>
    public JObject ToGraphQL(DateTimeOffset now, Uri server)
    {
        var status = Status(now);
        var elapsed = FinishesAt > CreatedAt ? Math.Clamp((now - CreatedAt) / (FinishesAt - CreatedAt), 0, 1) : 1;
        // A failed operation stopped half way: it processed half of the objects.
        var processed = status == "FAILED" ? ObjectCount / 2 : (long)(ObjectCount * elapsed);
        var roots = ObjectCount == 0 ? 0 : (long)((double)Ids.Count * processed / ObjectCount);
        return new JObject
        {
            ["id"] = Gid,
            ["status"] = status,
            ["errorCode"] = status == "FAILED" ? FailsWith : null,
            ["createdAt"] = SandboxCustomer.Stamp(CreatedAt),
            ["completedAt"] = status is "COMPLETED" or "EXPIRED" ? SandboxCustomer.Stamp(FinishesAt) : null,
            // UnsignedInt64 is sent as a string of digits.
            ["objectCount"] = processed.ToString(CultureInfo.InvariantCulture),
            ["rootObjectCount"] = roots.ToString(CultureInfo.InvariantCulture),
            // The file is written from the store when it is read, so its size is not known in advance.
            ["fileSize"] = null,
            // An operation that found nothing has no file (Shopify's url is null then).
            ["url"] = status == "COMPLETED" && Ids.Count > 0 ? new Uri(server, $"{ResultPath}?signature={Signature}").ToString() : null,
            ["partialDataUrl"] = null,
            ["query"] = Query,
            ["type"] = "QUERY",
        };
    }
}

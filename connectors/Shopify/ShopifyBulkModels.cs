using Newtonsoft.Json;

namespace Connectors.Shopify;

// The typed parts of Shopify's bulk operation answers (README, "Bulk operations"): what the connector decides on.

/// <summary>A bulk operation as <c>bulkOperationRunQuery</c> and <c>node(id:)</c> report it.</summary>
public sealed class ShopifyBulkOperation
{
    /// <summary>The status meaning the result file is ready at <see cref="Url"/>.</summary>
    public const string Completed = "COMPLETED";

    /// <summary>The status of an operation that stopped on an error (see <see cref="ErrorCode"/>).</summary>
    public const string Failed = "FAILED";

    /// <summary>The operation's GID, for example <c>gid://shopify/BulkOperation/720918</c>.</summary>
    [JsonProperty("id")]
    public string Id { get; set; } = "";

    /// <summary><c>CREATED</c>, <c>RUNNING</c>, <c>COMPLETED</c>, <c>CANCELING</c>, <c>CANCELED</c>, <c>FAILED</c> or <c>EXPIRED</c>.</summary>
    [JsonProperty("status")]
    public string Status { get; set; } = "";

    /// <summary>Why a failed operation failed: <c>ACCESS_DENIED</c>, <c>INTERNAL_SERVER_ERROR</c> or <c>TIMEOUT</c>.</summary>
    [JsonProperty("errorCode")]
    public string? ErrorCode { get; set; }

    /// <summary>Objects processed so far, nested items included (Shopify sends the UnsignedInt64 as a string).</summary>
    [JsonProperty("objectCount")]
    public long ObjectCount { get; set; }

    /// <summary>Root objects processed so far.</summary>
    [JsonProperty("rootObjectCount")]
    public long RootObjectCount { get; set; }

    /// <summary>Where the JSONL result is, once completed; <see langword="null"/> when the operation found nothing.</summary>
    [JsonProperty("url")]
    public string? Url { get; set; }

    /// <summary>Where the data a failed operation did read is, if any.</summary>
    [JsonProperty("partialDataUrl")]
    public string? PartialDataUrl { get; set; }
}

/// <summary>One error in the input of a bulk operation mutation (<c>BulkOperationUserError</c>).</summary>
public sealed class ShopifyBulkUserError
{
    /// <summary>The code that refuses a bulk query because one is already running (API versions before 2026-01).</summary>
    public const string OperationInProgress = "OPERATION_IN_PROGRESS";

    /// <summary>The path to the input field the error is about, if any.</summary>
    [JsonProperty("field")]
    public List<string>? Field { get; set; }

    /// <summary>The vendor's message.</summary>
    [JsonProperty("message")]
    public string Message { get; set; } = "";

    /// <summary><c>INVALID</c>, <c>LIMIT_REACHED</c> or <c>OPERATION_IN_PROGRESS</c>.</summary>
    [JsonProperty("code")]
    public string? Code { get; set; }
}

/// <summary>What <c>bulkOperationRunQuery</c> returns.</summary>
public sealed class ShopifyBulkOperationRunQueryPayload
{
    /// <summary>The operation created, or <see langword="null"/> when it was refused.</summary>
    [JsonProperty("bulkOperation")]
    public ShopifyBulkOperation? BulkOperation { get; set; }

    /// <summary>Why it was refused, if it was.</summary>
    [JsonProperty("userErrors")]
    public List<ShopifyBulkUserError> UserErrors { get; set; } = [];
}

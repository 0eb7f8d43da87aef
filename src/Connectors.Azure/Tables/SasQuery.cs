using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Connectors.Azure.Tables;

/// <summary>Signs each request with a shared access signature in its query string, as the SDK's clients do.</summary>
internal sealed class SasQuery(AzureSasCredential credential) : HttpPipelineSynchronousPolicy
{
    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        var signature = credential.Signature.TrimStart('?');
        var query = message.Request.Uri.Query;
        message.Request.Uri.Query = string.IsNullOrEmpty(query) ? "?" + signature : query + "&" + signature;
    }
}

using Refit;

namespace Connectors.Zoho;

/// <summary>
/// Zoho's file upload host (<c>https://upload.zoho.com</c>, shared reference zoho-crm.md §1.1, §6.1), where a
/// bulk write's zipped CSV goes before the job is created. Authorised like the CRM API.
/// </summary>
public interface IZohoUploadApi
{
    /// <summary>Uploads one ZIP holding one CSV file of at most <see cref="ZohoConnector.MaxRecordsPerBulkFile"/> records.</summary>
    /// <param name="feature">Always <c>bulk-write</c>.</param>
    /// <param name="organization">The org id (<c>zgid</c>).</param>
    /// <param name="file">The ZIP.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Multipart]
    [Post("/crm/v8/upload")]
    Task<IApiResponse<ZohoUploadResponse>> UploadAsync([Header("feature")] string feature, [Header("X-CRM-ORG")] string organization,
        [AliasAs("file")] StreamPart file, CancellationToken cancellationToken);
}

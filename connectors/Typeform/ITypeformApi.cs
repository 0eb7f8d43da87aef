using Refit;

namespace Connectors.Typeform;

/// <summary>
/// Typeform's Responses API (shared reference feedback-sources.md §D.2, typeform.com/developers/responses/reference).
/// The bearer token is added by <see cref="TypeformAuth"/>, the pacing by <see cref="TypeformPacer"/>.
/// </summary>
public interface ITypeformApi
{
    /// <summary>
    /// Lists responses of one form: <c>GET /forms/{form_id}/responses</c>. Typeform answers
    /// <c>{ total_items, page_count, items }</c>; very recent responses (about 30 minutes) may not be listed yet.
    /// </summary>
    /// <param name="formId">The form's id, as in <c>https://mysite.typeform.com/to/{form_id}</c>.</param>
    /// <param name="query">Paging and filters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/forms/{formId}/responses")]
    Task<IApiResponse<TypeformResponsePage>> ListResponsesAsync(string formId, [Query] TypeformResponseQuery query, CancellationToken cancellationToken);
}

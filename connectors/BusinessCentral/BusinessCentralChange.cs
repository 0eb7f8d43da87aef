namespace Connectors.BusinessCentral;

/// <summary>One change a webhook notification announced.</summary>
/// <param name="CompanyId">The company the entity belongs to.</param>
/// <param name="EntitySet">The entity set, which is the connector's stream: <c>customers</c>, <c>salesOrders</c>.</param>
/// <param name="Id">The changed entity's id; <see langword="null"/> for a <c>collection</c> change.</param>
/// <param name="ChangeType"><c>created</c>, <c>updated</c>, <c>deleted</c> or <c>collection</c>.</param>
/// <param name="Modified">When the change happened, when the notification said.</param>
/// <param name="CollectionFilter">
/// For a <c>collection</c> change (more than 1,000 records changed within the notification delay), the
/// <c>$filter</c> that selects them; the worker runs an incremental read instead of reading ids.
/// </param>
public sealed record BusinessCentralChange(string CompanyId, string EntitySet, string? Id, string ChangeType,
    DateTimeOffset? Modified, string? CollectionFilter)
{
    /// <summary>Whether many records changed and the whole entity set should be read incrementally.</summary>
    public bool IsCollection => string.Equals(ChangeType, "collection", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the entity was deleted.</summary>
    public bool IsDeleted => string.Equals(ChangeType, "deleted", StringComparison.OrdinalIgnoreCase);
}

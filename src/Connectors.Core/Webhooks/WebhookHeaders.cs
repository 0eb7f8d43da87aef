namespace Connectors.Core.Webhooks;

/// <summary>A delivery's headers by name, whatever their letter case, as HTTP has them.</summary>
public static class WebhookHeaders
{
    /// <summary>
    /// The headers by name, case-insensitively: a dictionary that already compares names so is taken as it is (the
    /// server hands every delivery's headers over in one), any other sequence is copied, the last of a name counting.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ByName(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers is Dictionary<string, string> dictionary && ReferenceEquals(dictionary.Comparer, StringComparer.OrdinalIgnoreCase)) return dictionary;
        var byName = new Dictionary<string, string>(headers.TryGetNonEnumeratedCount(out var count) ? count : 0, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers) byName[name] = value;
        return byName;
    }
}

using Newtonsoft.Json.Linq;

namespace Connectors.Core.Records;

/// <summary>
/// One record as read from a system: its key, when the vendor last modified it, and its fields as
/// JSON. Connectors flatten vendor envelopes so that <see cref="Data"/> holds the record's own fields.
/// </summary>
public sealed class Record
{
    /// <summary>Creates a record.</summary>
    public Record(RecordKey key, DateTimeOffset modified, JObject data)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(data);
        Key = key;
        Modified = modified;
        Data = data;
    }

    /// <summary>The record's stream and native id.</summary>
    public RecordKey Key { get; }

    /// <summary>The vendor's modification stamp, with the vendor's own offset preserved.</summary>
    public DateTimeOffset Modified { get; }

    /// <summary>The record's fields.</summary>
    public JObject Data { get; }

    /// <summary>
    /// The record's version as its vendor states it (an ETag, a modification stamp as written), for
    /// <see cref="Connectors.WriteRequest.ExpectedVersion"/>: a write conditional on it fails instead of
    /// overwriting a change made since this read. <see langword="null"/> when the vendor has none.
    /// </summary>
    public string? Version { get; init; }
}

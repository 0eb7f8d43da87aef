namespace Connectors.Core.Records;

/// <summary>Identifies one record: the stream it lives in (<c>system.stream</c>) and its native id there.</summary>
/// <param name="Stream">The stream name, for example <c>shop.customers</c>.</param>
/// <param name="Id">The record's id in its own system, exactly as the vendor returns it.</param>
public sealed record RecordKey(string Stream, string Id)
{
    /// <inheritdoc />
    public override string ToString() => $"{Stream}/{Id}";
}

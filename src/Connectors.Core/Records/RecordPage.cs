using Connectors.Core.Sync;

namespace Connectors.Core.Records;

/// <summary>One page of records read from a source.</summary>
/// <param name="Records">The records on this page, possibly none.</param>
/// <param name="Checkpoint">
/// Where a later read may resume once this page and every page before it are durably handled, or
/// <see langword="null"/> when the connector cannot yet promise that (for example because its pages
/// are not ordered by modification time). The sync run only ever stores checkpoints it was given.
/// </param>
public sealed record RecordPage(IReadOnlyList<Record> Records, Watermark? Checkpoint);

namespace Connectors.Azure.Tables;

/// <summary>One entity of a transaction: its keys and its properties, all strings.</summary>
internal readonly record struct TableRow(string PartitionKey, string RowKey, IReadOnlyList<KeyValuePair<string, string>> Properties);

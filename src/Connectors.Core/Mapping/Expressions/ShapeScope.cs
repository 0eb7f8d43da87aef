using Connectors.Core.Schema;

namespace Connectors.Core.Mapping.Expressions;

/// <summary>
/// What rules are checked against statically: the source record's fields (when described), what relative
/// paths start from (the record, or the item inside <c>each</c>), and where problems are collected, each
/// with the nested field it was found in.
/// </summary>
internal sealed class ShapeScope
{
    private readonly List<KeyValuePair<string, string>> _problems;

    /// <summary>Starts at the record.</summary>
    /// <param name="record">The source record's fields as one object, or <see langword="null"/> when the source is not described.</param>
    public ShapeScope(FieldSchema? record)
        : this(record, record, "", [])
    {
    }

    private ShapeScope(FieldSchema? root, FieldSchema? current, string path, List<KeyValuePair<string, string>> problems)
    {
        Root = root;
        Current = current;
        Path = path;
        _problems = problems;
    }

    /// <summary>The record, for <c>$root.…</c> paths; <see langword="null"/> when not described.</summary>
    public FieldSchema? Root { get; }

    /// <summary>What relative paths start from; <see langword="null"/> when not described.</summary>
    public FieldSchema? Current { get; }

    /// <summary>The nested target field being checked, relative to the top-level one (<c>id</c>, <c>[]</c>.<c>Quantity</c>), or empty.</summary>
    public string Path { get; }

    /// <summary>Every problem found so far: the nested field path and what is wrong.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Problems => _problems;

    /// <summary>The same record and problems, with relative paths starting at <paramref name="item"/>.</summary>
    public ShapeScope WithCurrent(FieldSchema? item) => new(Root, item, Path, _problems);

    /// <summary>The same scope, inside the nested target field <paramref name="field"/>.</summary>
    public ShapeScope Within(string field) => new(Root, Current, Path.Length == 0 ? field : $"{Path}.{field}", _problems);

    /// <summary>Notes a problem at the current nested field.</summary>
    public void Problem(string message) => _problems.Add(KeyValuePair.Create(Path, message));
}

using Connectors.Core.Conflicts;
using Connectors.Core.Flows;
using Connectors.Core.Mapping;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Sync.TwoWay;

/// <summary>
/// A flow that keeps two streams in agreement both ways (<c>direction: two-way</c>): records changed on
/// either side since the last run are merged against their base and written to the other side.
/// Comparisons happen in the right side's terms, on the fields <see cref="Forward"/> writes.
/// </summary>
public sealed class TwoWayFlow
{
    /// <summary>Creates the flow and works out, once, which fields each side owns.</summary>
    /// <param name="name">The flow's name; state is kept under it.</param>
    /// <param name="left">The left stream (<c>from</c>).</param>
    /// <param name="right">The right stream (<c>to</c>).</param>
    /// <param name="forward">The left-to-right mapping (<c>mapping:</c>).</param>
    /// <param name="reverse">The right-to-left mapping (<c>reverse:</c>).</param>
    /// <param name="matchFields">Right-side fields that identify a record not linked yet, in order of precedence.</param>
    /// <param name="conflicts">The conflict rules.</param>
    /// <param name="duplicates">What to do with two records on one side that share a match key.</param>
    public TwoWayFlow(string name, StreamRef left, StreamRef right, FieldMapping forward, FieldMapping reverse,
        IReadOnlyList<string> matchFields, ConflictRules conflicts, DuplicateRule duplicates = DuplicateRule.LinkOldest)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(reverse);
        ArgumentNullException.ThrowIfNull(matchFields);
        ArgumentNullException.ThrowIfNull(conflicts);
        Name = name;
        Left = left;
        Right = right;
        Forward = forward;
        Reverse = reverse;
        MatchFields = matchFields;
        Conflicts = conflicts;
        Duplicates = duplicates;
        Fields = [.. forward.TargetFields.Distinct(StringComparer.Ordinal)];
        ReverseFields = [.. reverse.TargetFields.Distinct(StringComparer.Ordinal)];
        var readBack = FieldsRead(reverse, Fields);
        LeftOwned = Fields.Where(f => readBack[f].Count == 0).ToHashSet(StringComparer.Ordinal);
        LeftMatchFields = matchFields.ToDictionary(m => m, m => readBack.TryGetValue(m, out var written) ? written.FirstOrDefault() : null, StringComparer.Ordinal);
    }

    /// <summary>The flow's name.</summary>
    public string Name { get; }

    /// <summary>The left stream.</summary>
    public StreamRef Left { get; }

    /// <summary>The right stream.</summary>
    public StreamRef Right { get; }

    /// <summary>Left record → right-side fields.</summary>
    public FieldMapping Forward { get; }

    /// <summary>Right record → left-side fields.</summary>
    public FieldMapping Reverse { get; }

    /// <summary>Right-side fields that identify a record not linked yet.</summary>
    public IReadOnlyList<string> MatchFields { get; }

    /// <summary>The conflict rules.</summary>
    public ConflictRules Conflicts { get; }

    /// <summary>The duplicate rule.</summary>
    public DuplicateRule Duplicates { get; }

    /// <summary>The compared fields (right-side terms): those <see cref="Forward"/> writes.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>The left-side fields <see cref="Reverse"/> writes.</summary>
    public IReadOnlyList<string> ReverseFields { get; }

    /// <summary>
    /// Compared fields mapped one way only (the reverse mapping does not read them): the left side owns
    /// them, and a change made to them on the right is put back.
    /// </summary>
    public IReadOnlySet<string> LeftOwned { get; }

    /// <summary>For each match field, the left-side field the reverse mapping fills from it (for lookups on the left), when there is one.</summary>
    public IReadOnlyDictionary<string, string?> LeftMatchFields { get; }

    /// <summary>
    /// Which outputs of <paramref name="mapping"/> depend on each of <paramref name="inputs"/>: the mapping is
    /// run on sample records that differ in one input only, which works whatever the rule language. A rule
    /// that fails on a sample counts as reading every input (the cautious answer).
    /// </summary>
    private static Dictionary<string, List<string>> FieldsRead(FieldMapping mapping, IReadOnlyList<string> inputs)
    {
        var sample = new JObject();
        foreach (var input in inputs) sample[input] = $"probe-{input}-a";
        var result = inputs.ToDictionary(i => i, _ => new List<string>(), StringComparer.Ordinal);
        var before = TryApply(mapping, sample);
        foreach (var input in inputs)
        {
            var changed = (JObject)sample.DeepClone();
            changed[input] = $"probe-{input}-b";
            var after = TryApply(mapping, changed);
            foreach (var output in mapping.TargetFields.Distinct(StringComparer.Ordinal))
            {
                if (before is null || after is null || !JToken.DeepEquals(before[output], after[output])) result[input].Add(output);
            }
        }
        return result;
    }

    private static JObject? TryApply(FieldMapping mapping, JObject sample)
    {
        try
        {
            return mapping.Apply(sample);
        }
        catch (MappingException)
        {
            return null;
        }
    }
}

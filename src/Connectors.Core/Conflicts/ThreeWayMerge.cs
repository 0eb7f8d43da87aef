using Connectors.Core.Sync.TwoWay;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Conflicts;

/// <summary>
/// Decides one record of a two-way flow from its base and its two current versions. A side changed a
/// field when its value differs from the base. Neither changed: nothing to do. One side changed a field:
/// that side's value, under every policy. Both sides changed the record: the flow's policy decides
/// (fields with a policy of their own are decided one by one, first). Pure: no I/O, no clock.
/// </summary>
public sealed class ThreeWayMerge
{
    private readonly ConflictRules _rules;

    /// <summary>Creates the merge of a flow with <paramref name="rules"/>.</summary>
    public ThreeWayMerge(ConflictRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules;
    }

    /// <summary>Merges one record.</summary>
    public MergeOutcome Merge(MergeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var newer = Newer(input.LeftModified, input.RightModified);
        var changes = input.Fields.Select(f =>
        {
            var (b, l, r) = (input.Base[f], input.Left[f], input.Right[f]);
            return (Field: f, Base: b, Left: l, Right: r, LeftChanged: !FieldValues.Same(l, b),
                RightChanged: !input.LeftOwned.Contains(f) && !FieldValues.Same(r, b));
        }).ToList();
        // Record-level policies look at the fields without a policy of their own.
        var recordLevel = changes.Where(c => !_rules.FieldPolicies.ContainsKey(c.Field)).ToList();
        var bothSides = recordLevel.Any(c => c.LeftChanged) && recordLevel.Any(c => c.RightChanged);

        var merged = new JObject();
        var fields = new List<FieldMerge>(changes.Count);
        foreach (var c in changes)
        {
            var (winner, reason) = (c.LeftChanged, c.RightChanged) switch
            {
                (false, false) => ((FlowSide?)null, MergeReason.Unchanged),
                (true, false) => (FlowSide.Left, MergeReason.OneSide),
                (false, true) => (FlowSide.Right, MergeReason.OneSide),
                _ when FieldValues.Same(c.Left, c.Right) => (FlowSide.Right, MergeReason.SameValue),
                _ => ((FlowSide?)null, MergeReason.Undecided),
            };
            if (_rules.FieldPolicies.TryGetValue(c.Field, out var own))
            {
                if (reason == MergeReason.Undecided) (winner, reason) = Decide(own, c.Field, newer, input, MergeReason.FieldPolicy);
            }
            else if (bothSides && _rules.Policy is ConflictPolicy.SourceWins or ConflictPolicy.TargetWins or ConflictPolicy.NewestWins)
            {
                // A record-level policy takes the whole record from one side, fields only the other side changed included.
                winner = _rules.Policy switch
                {
                    ConflictPolicy.SourceWins => FlowSide.Left,
                    ConflictPolicy.TargetWins => FlowSide.Right,
                    _ => newer,
                };
                reason = MergeReason.RecordPolicy;
            }
            else if (reason == MergeReason.Undecided)
            {
                (winner, reason) = Decide(_rules.Policy, c.Field, newer, input, MergeReason.RecordPolicy);
            }
            var value = winner switch
            {
                FlowSide.Left => c.Left,
                FlowSide.Right => c.Right,
                // Unchanged: both equal the base; undecided: the base stands until someone decides.
                _ => reason == MergeReason.Undecided ? c.Base : c.Right,
            };
            if (!FieldValues.IsEmpty(value)) merged[c.Field] = value!.DeepClone();
            fields.Add(new FieldMerge(c.Field, c.Base, c.Left, c.Right, c.LeftChanged, c.RightChanged, winner, reason));
        }
        return new MergeOutcome(merged, fields);
    }

    /// <summary>Decides a field both sides changed to different values, under <paramref name="policy"/>.</summary>
    private (FlowSide? Winner, MergeReason Reason) Decide(ConflictPolicy policy, string field, FlowSide newer, MergeInput input, MergeReason byPolicy)
    {
        switch (policy)
        {
            case ConflictPolicy.SourceWins: return (FlowSide.Left, byPolicy);
            case ConflictPolicy.TargetWins: return (FlowSide.Right, byPolicy);
            case ConflictPolicy.NewestWins: return (newer, MergeReason.Newest);
        }
        if (_rules.Owners.TryGetValue(field, out var owner)) return (owner, MergeReason.Owner);
        if (policy == ConflictPolicy.Merge) return (newer, MergeReason.Newest);
        if (input.Decision is { } decision && input.DecidedFields.Contains(field))
        {
            return decision.Take switch
            {
                ConflictTake.Left => (FlowSide.Left, MergeReason.Decision),
                ConflictTake.Right => (FlowSide.Right, MergeReason.Decision),
                _ => (newer, MergeReason.Decision),
            };
        }
        return (null, MergeReason.Undecided);
    }

    /// <summary>The side stamped later by its vendor; within the skew tolerance, the source (left).</summary>
    private FlowSide Newer(DateTimeOffset left, DateTimeOffset right)
    {
        // Instants, never wall-clock readings: +05:30 and Z stamps compare by the moment they name.
        var difference = right.UtcTicks - left.UtcTicks;
        return difference > _rules.Skew.Ticks ? FlowSide.Right : FlowSide.Left;
    }
}

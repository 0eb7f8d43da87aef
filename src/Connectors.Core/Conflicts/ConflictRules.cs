using Connectors.Core.Sync.TwoWay;

namespace Connectors.Core.Conflicts;

/// <summary>A two-way flow's conflict settings, as written under <c>conflicts:</c> in its config.</summary>
/// <param name="Policy">The record-level policy.</param>
/// <param name="Owners">Fields (in right-side terms) that belong to one side under <c>merge</c> and <c>manual</c>.</param>
/// <param name="FieldPolicies">Fields (in right-side terms) decided by their own policy, field by field, whatever the record-level one.</param>
/// <param name="Skew">
/// How far apart two vendors' modification stamps may be and still count as simultaneous under
/// <c>newest-wins</c>; then the source wins. Their clocks are not ours, nor each other's.
/// </param>
public sealed record ConflictRules(ConflictPolicy Policy, IReadOnlyDictionary<string, FlowSide> Owners,
    IReadOnlyDictionary<string, ConflictPolicy> FieldPolicies, TimeSpan Skew)
{
    /// <summary>The rules of a flow that says nothing: <c>merge</c>, no owners, no field policies, no skew.</summary>
    public static ConflictRules Default { get; } = new(ConflictPolicy.Merge, new Dictionary<string, FlowSide>(), new Dictionary<string, ConflictPolicy>(), TimeSpan.Zero);

    /// <summary>The policy's name as configs spell it (<c>newest-wins</c>).</summary>
    public static string NameOf(ConflictPolicy policy) => policy switch
    {
        ConflictPolicy.SourceWins => "source-wins",
        ConflictPolicy.TargetWins => "target-wins",
        ConflictPolicy.NewestWins => "newest-wins",
        ConflictPolicy.Merge => "merge",
        _ => "manual",
    };

    /// <summary>Reads a policy name as configs spell it; <see langword="null"/> when it is not one.</summary>
    public static ConflictPolicy? Parse(string? name) => name switch
    {
        "source-wins" => ConflictPolicy.SourceWins,
        "target-wins" => ConflictPolicy.TargetWins,
        "newest-wins" => ConflictPolicy.NewestWins,
        "merge" => ConflictPolicy.Merge,
        "manual" => ConflictPolicy.Manual,
        _ => null,
    };
}

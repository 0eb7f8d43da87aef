using Connectors.Core.Conflicts;
using Connectors.Core.Sync.TwoWay;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Tests.Conflicts;

public sealed class ThreeWayMergeTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly string[] Fields = ["phone", "city", "name"];

    private static MergeOutcome Merge(ConflictPolicy policy, JObject basis, JObject left, JObject right, DateTimeOffset? leftAt = null, DateTimeOffset? rightAt = null,
        Dictionary<string, FlowSide>? owners = null, Dictionary<string, ConflictPolicy>? fields = null, TimeSpan skew = default, ISet<string>? leftOwned = null,
        ConflictDecision? decision = null) =>
        new ThreeWayMerge(new ConflictRules(policy, owners ?? [], fields ?? [], skew)).Merge(
            new MergeInput(Fields, basis, left, right, leftAt ?? T, rightAt ?? T, (IReadOnlySet<string>)(leftOwned ?? new HashSet<string>()))
            {
                Decision = decision,
                DecidedFields = decision is null ? new HashSet<string>() : new HashSet<string> { "phone" },
            });

    private static readonly JObject Base = new() { ["phone"] = "1", ["city"] = "Pune", ["name"] = "Ann" };

    [Theory]
    [InlineData(ConflictPolicy.SourceWins)]
    [InlineData(ConflictPolicy.TargetWins)]
    [InlineData(ConflictPolicy.NewestWins)]
    [InlineData(ConflictPolicy.Merge)]
    [InlineData(ConflictPolicy.Manual)]
    public void OneSideChanged_TakesThatSide_UnderEveryPolicy(ConflictPolicy policy)
    {
        var outcome = Merge(policy, Base, new JObject { ["phone"] = "2", ["city"] = "Pune", ["name"] = "Ann" }, (JObject)Base.DeepClone());

        Assert.Equal("2", (string?)outcome.Merged["phone"]);
        Assert.False(outcome.MustPark);
        Assert.Equal(FlowSide.Left, outcome.Fields[0].Winner);
    }

    [Fact]
    public void NothingChanged_EmptyAndNullAreTheSameValue()
    {
        var outcome = Merge(ConflictPolicy.Manual, new JObject { ["phone"] = "1" }, new JObject { ["phone"] = "1", ["city"] = null }, new JObject { ["phone"] = "1", ["city"] = "", ["name"] = " " });

        Assert.False(outcome.AnyChange);
    }

    [Fact]
    public void Merge_DifferentFieldsOnEachSide_TakesBoth_AndABothSidesFieldGoesToItsOwner()
    {
        var left = new JObject { ["phone"] = "L", ["city"] = "Delhi", ["name"] = "Ann" };
        var right = new JObject { ["phone"] = "R", ["city"] = "Pune", ["name"] = "Anne" };

        var outcome = Merge(ConflictPolicy.Merge, Base, left, right, leftAt: T.AddMinutes(5), owners: new() { ["phone"] = FlowSide.Right });

        Assert.Equal(("R", "Delhi", "Anne"), ((string?)outcome.Merged["phone"], (string?)outcome.Merged["city"], (string?)outcome.Merged["name"]));
        Assert.Equal(MergeReason.Owner, outcome.Fields[0].Reason);
    }

    [Fact]
    public void Merge_BothSidesSameFieldNoOwner_TheNewerSideWins_ComparedAsInstants()
    {
        var left = new JObject { ["phone"] = "L", ["city"] = "Pune", ["name"] = "Ann" };
        var right = new JObject { ["phone"] = "R", ["city"] = "Pune", ["name"] = "Ann" };
        // 14:00+05:30 is 08:30Z: earlier than the right's 09:00Z although its wall clock reads later.
        var leftAt = new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.FromHours(5.5));

        var outcome = Merge(ConflictPolicy.Merge, Base, left, right, leftAt: leftAt, rightAt: T);

        Assert.Equal("R", (string?)outcome.Merged["phone"]);
        Assert.Equal(MergeReason.Newest, outcome.Fields[0].Reason);
    }

    [Fact]
    public void NewestWins_WithinTheSkew_TheSourceWins()
    {
        var left = new JObject { ["phone"] = "L", ["city"] = "Pune", ["name"] = "Ann" };
        var right = new JObject { ["phone"] = "R", ["city"] = "Delhi", ["name"] = "Ann" };

        var close = Merge(ConflictPolicy.NewestWins, Base, left, right, rightAt: T.AddSeconds(4), skew: TimeSpan.FromSeconds(5));
        var apart = Merge(ConflictPolicy.NewestWins, Base, left, right, rightAt: T.AddSeconds(6), skew: TimeSpan.FromSeconds(5));

        Assert.Equal(("L", "Pune"), ((string?)close.Merged["phone"], (string?)close.Merged["city"]));
        Assert.Equal(("R", "Delhi"), ((string?)apart.Merged["phone"], (string?)apart.Merged["city"]));
    }

    [Fact]
    public void SourceAndTargetWins_BothSidesChanged_TakeTheWholeRecordFromOneSide_ButFieldPoliciesComeFirst()
    {
        var left = new JObject { ["phone"] = "L", ["city"] = "Pune", ["name"] = "Ann" };
        var right = new JObject { ["phone"] = "1", ["city"] = "Delhi", ["name"] = "Anne" };

        var source = Merge(ConflictPolicy.SourceWins, Base, left, right, fields: new() { ["name"] = ConflictPolicy.TargetWins });
        var target = Merge(ConflictPolicy.TargetWins, Base, left, right);

        Assert.Equal(("L", "Pune", "Anne"), ((string?)source.Merged["phone"], (string?)source.Merged["city"], (string?)source.Merged["name"]));
        Assert.Equal(("1", "Delhi", "Anne"), ((string?)target.Merged["phone"], (string?)target.Merged["city"], (string?)target.Merged["name"]));
    }

    [Fact]
    public void Manual_RealConflictParks_SameValueDoesNot_AndADecisionSettlesIt()
    {
        var left = new JObject { ["phone"] = "L", ["city"] = "Delhi", ["name"] = "Ann" };
        var right = new JObject { ["phone"] = "R", ["city"] = "Delhi", ["name"] = "Ann" };

        var parked = Merge(ConflictPolicy.Manual, Base, left, right);
        var decided = Merge(ConflictPolicy.Manual, Base, left, right, decision: new ConflictDecision(ConflictTake.Right, T));

        Assert.True(parked.MustPark);
        Assert.Equal(["phone"], parked.ToConflictFields().Where(f => f.InConflict).Select(f => f.Field));
        Assert.Equal(2, parked.ToConflictFields().Count);
        Assert.False(decided.MustPark);
        Assert.Equal(("R", "Delhi"), ((string?)decided.Merged["phone"], (string?)decided.Merged["city"]));
    }

    [Fact]
    public void FieldTheRightCannotWriteBack_IsOwnedByTheLeft_AndNeverConflicts()
    {
        var left = new JObject { ["phone"] = "1", ["city"] = "Pune", ["name"] = "Ann Lee" };
        var right = new JObject { ["phone"] = "1", ["city"] = "Pune", ["name"] = "Anne" };

        var outcome = Merge(ConflictPolicy.Manual, Base, left, right, leftOwned: new HashSet<string> { "name" });

        Assert.False(outcome.MustPark);
        Assert.Equal("Ann Lee", (string?)outcome.Merged["name"]);
    }

    [Theory]
    [InlineData("Ann.Lee@Example.COM ", "ann.lee@example.com")]
    [InlineData("+1 (555) 010-0100", "+15550100100")]
    [InlineData("0044 20 7946 0018", "+442079460018")]
    [InlineData("555-0100-99", "555010099")]
    [InlineData("  ACME Ltd ", "acme ltd")]
    [InlineData("", null)]
    public void MatchKeys_AreNormalized(string value, string? key)
    {
        Assert.Equal(key, MatchKey.Normalize(value));
    }
}

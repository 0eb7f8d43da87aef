using System.Security.Cryptography;
using System.Text;

namespace Connectors.Core.Conflicts;

/// <summary>
/// A record of a two-way flow that changed on both sides in a way its policy leaves to a person: it waits
/// in the conflict queue, and nothing of it is written until it is decided.
/// </summary>
/// <param name="Id">A short id, the same for the same pair of records, so that a record that keeps conflicting is parked once.</param>
/// <param name="Flow">The flow's name.</param>
/// <param name="LeftId">The left record's id.</param>
/// <param name="RightId">The right record's id.</param>
/// <param name="Fields">Every field either side changed, with the base and both values; <see cref="ConflictField.InConflict"/> marks the ones to decide.</param>
/// <param name="ParkedAt">When it was parked (our clock).</param>
public sealed record Conflict(string Id, string Flow, string LeftId, string RightId, IReadOnlyList<ConflictField> Fields, DateTimeOffset ParkedAt)
{
    /// <summary>The decision, once someone made it; the next run applies it and removes the conflict.</summary>
    public ConflictDecision? Decision { get; init; }

    /// <summary>The names of the fields to decide.</summary>
    public IEnumerable<string> ConflictingFields => Fields.Where(f => f.InConflict).Select(f => f.Field);

    /// <summary>The id of the conflict between <paramref name="leftId"/> and <paramref name="rightId"/> in <paramref name="flow"/>.</summary>
    public static string IdOf(string flow, string leftId, string rightId)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(leftId);
        ArgumentNullException.ThrowIfNull(rightId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{flow}\n{leftId}\n{rightId}"));
        return "c" + Convert.ToHexStringLower(hash.AsSpan(0, 5));
    }
}

using Newtonsoft.Json.Linq;

namespace Connectors.Core.Conflicts;

/// <summary>One field of a parked record, in the right side's terms: what both sides agreed on last, and what each holds now.</summary>
/// <param name="Field">The field's name (right-side terms).</param>
/// <param name="Base">The value both sides agreed on at the last sync; <see langword="null"/> for none (or a pair never synced).</param>
/// <param name="Left">The left side's value now, mapped to right-side terms.</param>
/// <param name="Right">The right side's value now.</param>
/// <param name="InConflict">Whether both sides changed it, to different values: what someone must decide.</param>
public sealed record ConflictField(string Field, JToken? Base, JToken? Left, JToken? Right, bool InConflict);

using Connectors.Core.Conflicts;
using Connectors.Core.Records;
using Connectors.Core.State;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Sync.TwoWay;

/// <summary>A left record and its right counterpart (either may be missing until created), worked on together in one run.</summary>
internal sealed class Pair
{
    public Record? Left { get; set; }

    public Record? Right { get; set; }

    public string? LeftId { get; set; }

    public string? RightId { get; set; }

    /// <summary>The pair's link, or <see langword="null"/> for records not linked yet.</summary>
    public Link? Link { get; set; }

    /// <summary>The conflict this pair has waiting in the queue, if any.</summary>
    public Conflict? Parked { get; set; }

    /// <summary>Whether the pair was matched by key in this run (it had no link).</summary>
    public bool Matched { get; set; }

    /// <summary>How many of its conditional writes were refused because a record changed under us.</summary>
    public int Refusals { get; set; }

    /// <summary>The base: what both sides agreed on at the last sync; empty for a pair never synced.</summary>
    public JObject Base => Link?.Base ?? [];

    public override string ToString() => $"{LeftId ?? "(new)"} ⇄ {RightId ?? "(new)"}";
}

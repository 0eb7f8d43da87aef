using Newtonsoft.Json.Linq;

namespace Connectors.Core.Sync;

/// <summary>One field a planned update would change in the target.</summary>
/// <param name="Field">The target field.</param>
/// <param name="Before">Its value in the target now; <see langword="null"/> when it has none or the target was not read.</param>
/// <param name="After">The value the update would write.</param>
public sealed record FieldChange(string Field, JToken? Before, JToken? After)
{
    /// <summary>
    /// Whether <see cref="Before"/> was read from the target. False when the target was not read, or its
    /// read did not include the field (a connector reads only the fields it is configured for).
    /// </summary>
    public bool BeforeRead { get; init; } = true;
}

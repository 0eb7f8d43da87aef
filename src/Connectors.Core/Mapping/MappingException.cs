using Connectors.Core.Configuration;

namespace Connectors.Core.Mapping;

/// <summary>
/// A mapping (or a validation rule beside it) could not be compiled, or a rule could not be applied to
/// one record. Names the target field and, for config errors, where the rule was written.
/// </summary>
public sealed class MappingException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/>, with no known location.</summary>
    public MappingException(string field, string message, Exception? innerException = null)
        : this(field, null, message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="field"/> written at <paramref name="location"/>.</summary>
    public MappingException(string field, SourceLocation? location, string message, Exception? innerException = null)
        : base(location is null ? $"{field}: {message}" : $"{location}: {field}: {message}", innerException)
    {
        Field = field;
        Location = location;
        Reason = message;
    }

    /// <summary>
    /// The target field whose rule failed; a field inside a nested rule is written with its parents
    /// (<c>Ordered_Items.Quantity</c> at compile time, <c>Ordered_Items[2].Quantity</c> for a record).
    /// </summary>
    public string Field { get; }

    /// <summary>Where the field's rule was written in the config, when the config said.</summary>
    public SourceLocation? Location { get; }

    /// <summary>What went wrong, without the field name or location.</summary>
    public string Reason { get; }
}

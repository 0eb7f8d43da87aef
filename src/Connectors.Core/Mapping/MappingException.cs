namespace Connectors.Core.Mapping;

/// <summary>A mapping could not be compiled, or could not be applied to one record.</summary>
public sealed class MappingException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public MappingException(string field, string message, Exception? innerException = null)
        : base($"{field}: {message}", innerException)
    {
        Field = field;
        Reason = message;
    }

    /// <summary>The target field whose rule failed.</summary>
    public string Field { get; }

    /// <summary>What went wrong, without the field name.</summary>
    public string Reason { get; }
}

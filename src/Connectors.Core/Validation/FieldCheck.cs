using Newtonsoft.Json.Linq;

namespace Connectors.Core.Validation;

/// <summary>One compiled rule on one target field.</summary>
internal abstract class FieldCheck
{
    /// <summary>The rule's name as configs write it.</summary>
    public abstract string Name { get; }

    /// <summary>What is wrong with <paramref name="value"/> (<see langword="null"/> when the field has none), or <see langword="null"/> when nothing is.</summary>
    public abstract string? Problem(JToken? value);
}

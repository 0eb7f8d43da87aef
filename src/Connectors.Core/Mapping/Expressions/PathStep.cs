namespace Connectors.Core.Mapping.Expressions;

/// <summary>One step of a compiled path: a property name, or an array index when <see cref="Name"/> is <see langword="null"/>.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Index">The array index, when <paramref name="Name"/> is <see langword="null"/>.</param>
internal readonly record struct PathStep(string? Name, int Index);

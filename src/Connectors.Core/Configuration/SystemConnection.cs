using Connectors.Core.Connectors;

namespace Connectors.Core.Configuration;

/// <summary>A system's connector as <see cref="ISystemCatalog.Connect"/> built it.</summary>
/// <param name="Describer">The connector, when it was built and describes its streams; otherwise <see langword="null"/>.</param>
/// <param name="Errors">What is wrong with the system's type or settings, located; empty when it was built.</param>
public sealed record SystemConnection(IDescribeStreams? Describer, IReadOnlyList<ConfigError> Errors);

namespace Connectors.Core.Configuration;

/// <summary>What <see cref="ConfigLoader.Read"/> made of a config: as much as could be read, and every error.</summary>
/// <param name="Config">The config, without the systems and flows that could not be read; <see langword="null"/> when the text is not a YAML mapping.</param>
/// <param name="Errors">Every error, in file order; empty when the config loaded cleanly.</param>
public sealed record ConfigReading(ConnectorConfig? Config, IReadOnlyList<ConfigError> Errors);

using Connectors.Core.Schema;

namespace Connectors.Core.Configuration;

/// <summary>
/// The composition root's side of <see cref="ConfigCheck"/>: which system types exist, the schemas
/// their connectors ship, and a connector built from a system's settings to ask it live.
/// </summary>
public interface ISystemCatalog
{
    /// <summary>The schemas the connectors of <paramref name="systemType"/> ship (empty when none); <see langword="null"/> when no such type exists.</summary>
    IReadOnlyList<StreamSchema>? BuiltInStreams(string systemType);

    /// <summary>Builds the system's connector from its settings; the errors say what in the settings is wrong.</summary>
    SystemConnection Connect(SystemConfig system);
}

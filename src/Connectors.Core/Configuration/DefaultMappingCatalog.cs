namespace Connectors.Core.Configuration;

/// <summary>The default mappings a config may <c>use</c>, by name: those every connector of the build ships.</summary>
public sealed class DefaultMappingCatalog
{
    private readonly Dictionary<string, DefaultMapping> _byName;

    /// <summary>Creates the catalog.</summary>
    /// <exception cref="ArgumentException">Two mappings share a name.</exception>
    public DefaultMappingCatalog(IEnumerable<DefaultMapping> mappings)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        _byName = new Dictionary<string, DefaultMapping>(StringComparer.Ordinal);
        foreach (var mapping in mappings)
        {
            if (!_byName.TryAdd(mapping.Name, mapping)) throw new ArgumentException($"Two default mappings are named '{mapping.Name}'.", nameof(mappings));
        }
    }

    /// <summary>A catalog without mappings.</summary>
    public static DefaultMappingCatalog Empty { get; } = new([]);

    /// <summary>The names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _byName.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Every mapping, by name.</summary>
    public IReadOnlyCollection<DefaultMapping> All => _byName.Values;

    /// <summary>The mapping named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public DefaultMapping? Find(string name) => _byName.GetValueOrDefault(name);
}

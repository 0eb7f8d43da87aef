namespace Connectors.Core.Configuration;

/// <summary>What a stream's fields were checked against.</summary>
public enum SchemaOrigin
{
    /// <summary>The system's own metadata, asked just now (custom fields and this org's picklists included).</summary>
    Live,

    /// <summary>The schema shipped with the connector.</summary>
    BuiltIn,

    /// <summary>Nothing: the fields were not checked.</summary>
    None,
}

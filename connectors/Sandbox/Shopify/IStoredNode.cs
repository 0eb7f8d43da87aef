namespace Connectors.Sandbox.Shopify;

/// <summary>What the emulated store pages and searches every node type by: its numeric id and its two stamps.</summary>
internal interface IStoredNode
{
    /// <summary>The numeric id (the tail of the GID, what webhooks carry).</summary>
    long Id { get; }

    /// <summary>When the node was created (whole seconds, UTC).</summary>
    DateTimeOffset CreatedAt { get; }

    /// <summary>When the node last changed (whole seconds, UTC).</summary>
    DateTimeOffset UpdatedAt { get; }
}

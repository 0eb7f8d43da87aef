namespace Connectors.WooCommerce;

/// <summary>
/// The secret(s) the store's webhooks sign deliveries with. WooCommerce keeps one secret per webhook and signs with
/// whatever the webhook holds when it sends, so a rotation is editing each webhook in turn: until the last one is
/// edited some sign with the old secret, which is therefore accepted until <see cref="PreviousValidUntil"/>.
/// </summary>
public sealed class WooCommerceWebhookSecrets
{
    /// <summary>Creates the secrets; a previous secret needs the end of its rotation window.</summary>
    /// <param name="current">The secret the webhooks are (being) given.</param>
    /// <param name="previous">The secret before the rotation, if one is under way.</param>
    /// <param name="previousValidUntil">Until when deliveries signed with <paramref name="previous"/> are accepted.</param>
    public WooCommerceWebhookSecrets(string current, string? previous = null, DateTimeOffset? previousValidUntil = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(current);
        if (!string.IsNullOrEmpty(previous) && previousValidUntil is null)
        {
            throw new ArgumentException("A previous webhook secret needs the end of its rotation window.", nameof(previousValidUntil));
        }
        Current = current;
        Previous = string.IsNullOrEmpty(previous) ? null : previous;
        PreviousValidUntil = Previous is null ? null : previousValidUntil;
    }

    /// <summary>The current secret.</summary>
    public string Current { get; }

    /// <summary>The secret before the rotation, or <see langword="null"/>.</summary>
    public string? Previous { get; }

    /// <summary>The end of the rotation window, or <see langword="null"/> when there is no previous secret.</summary>
    public DateTimeOffset? PreviousValidUntil { get; }
}

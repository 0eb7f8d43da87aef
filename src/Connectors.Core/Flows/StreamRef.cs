namespace Connectors.Core.Flows;

/// <summary>A stream of one system, written <c>system.stream</c> in configs (<c>shop.customers</c>, <c>crm.Contacts</c>).</summary>
/// <param name="System">The system's name in the config.</param>
/// <param name="Stream">The stream's name within that system.</param>
public sealed record StreamRef(string System, string Stream)
{
    /// <summary>Parses <c>system.stream</c>; the stream part may itself contain dots.</summary>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    public static StreamRef Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == text.Length - 1)
        {
            throw new FormatException($"'{text}' is not a stream: write it as system.stream, for example shop.customers.");
        }
        return new StreamRef(text[..dot], text[(dot + 1)..]);
    }

    /// <inheritdoc />
    public override string ToString() => $"{System}.{Stream}";
}

namespace Connectors.Sandbox.Typeform;

/// <summary>
/// Deterministic, plausible NPS responses: the same seed gives the same responses. Scores lean positive as real
/// NPS surveys do (about half promoters, a fifth detractors), most detractors and some others leave a comment.
/// </summary>
internal sealed class ResponseGenerator(int seed)
{
    private static readonly string[] Praise =
    [
        "Fast delivery and the mug is lovely.", "Great quality, will order again.", "Support answered within the hour.",
        "Exactly as pictured.", "Second order, still impressed.",
    ];

    private static readonly string[] Complaints =
    [
        "The parcel arrived late and damaged.", "Wrong size sent, return took weeks.", "Nobody answered my email.",
        "Colour did not match the photos.", "Charged twice for one order.",
    ];

    // Seeded on purpose: the same seed must give the same responses in every run.
    private readonly Random _random = new(seed);

    public void Fill(SandboxResponse response, string? email)
    {
        response.Email = email;
        response.Score = _random.NextDouble() switch
        {
            < 0.50 => _random.Next(9, 11),
            < 0.80 => _random.Next(7, 9),
            _ => _random.Next(0, 7),
        };
        response.Comment = response.Score <= 6
            ? (_random.NextDouble() < 0.8 ? Complaints[_random.Next(Complaints.Length)] : null)
            : (_random.NextDouble() < 0.3 ? Praise[_random.Next(Praise.Length)] : null);
    }

    /// <summary>A response token: 32 lower-case letters and digits, as Typeform's look.</summary>
    public string NextToken()
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(32, _random, (span, random) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = Alphabet[random.Next(Alphabet.Length)];
        });
    }

    /// <summary>Seconds between the respondent landing on the form and submitting it.</summary>
    public int SecondsToAnswer() => _random.Next(20, 400);
}

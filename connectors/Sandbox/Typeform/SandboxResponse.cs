using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Typeform;

/// <summary>
/// One completed response to the emulated NPS form: the respondent's email as the hidden field <c>email</c> (the
/// shop passes it in the survey link), the 0–10 score of the <c>nps</c> question and an optional comment.
/// </summary>
public sealed class SandboxResponse
{
    /// <summary>The question refs of the emulated form.</summary>
    public const string ScoreRef = "nps", CommentRef = "comment", EmailRef = "email";

    /// <summary>The response's token (also its <c>response_id</c>).</summary>
    public string Token { get; internal set; } = "";

    /// <summary>The respondent's email, sent as the hidden field <c>email</c>.</summary>
    public string? Email { get; set; }

    /// <summary>The Net Promoter Score given, 0 to 10.</summary>
    public int Score { get; set; }

    /// <summary>The free-text comment, or <see langword="null"/> when the respondent skipped it.</summary>
    public string? Comment { get; set; }

    /// <summary>When the respondent opened the form.</summary>
    public DateTimeOffset LandedAt { get; internal set; }

    /// <summary>When the response was submitted (whole seconds, UTC).</summary>
    public DateTimeOffset SubmittedAt { get; internal set; }

    /// <summary>The order in which Typeform processed the responses; <c>after</c>/<c>before</c> page in this order.</summary>
    internal long Sequence { get; set; }

    internal SandboxResponse Clone() => (SandboxResponse)MemberwiseClone();

    /// <summary>The response as <c>GET /forms/{id}/responses</c> lists it (Typeform's JSON response explanation).</summary>
    internal JObject ToJson()
    {
        var answers = new JArray
        {
            new JObject
            {
                ["field"] = new JObject { ["id"] = "Hq2WYYkq1Qxn", ["type"] = "nps", ["ref"] = ScoreRef },
                ["type"] = "number",
                ["number"] = Score,
            },
        };
        if (Comment is not null)
        {
            answers.Add(new JObject
            {
                ["field"] = new JObject { ["id"] = "Kp8Lz0cVw2Rt", ["type"] = "long_text", ["ref"] = CommentRef },
                ["type"] = "text",
                ["text"] = Comment,
            });
        }
        return new JObject
        {
            ["landing_id"] = Token,
            ["token"] = Token,
            ["response_id"] = Token,
            ["response_type"] = "completed",
            ["landed_at"] = Stamp(LandedAt),
            ["submitted_at"] = Stamp(SubmittedAt),
            ["metadata"] = new JObject
            {
                ["user_agent"] = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                ["platform"] = "other",
                ["referer"] = "https://sandbox.typeform.com/to/u6nXL7",
                ["network_id"] = "respondent_network_id",
                ["browser"] = "default",
            },
            ["hidden"] = Email is null ? new JObject() : new JObject { [EmailRef] = Email },
            ["calculated"] = new JObject { ["score"] = 0 },
            ["variables"] = new JArray(),
            ["answers"] = answers,
        };
    }

    /// <summary>Typeform's date-time format: ISO 8601, UTC, whole seconds, <c>Z</c>.</summary>
    internal static string Stamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

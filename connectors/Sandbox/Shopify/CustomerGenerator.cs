using System.Globalization;
using System.Text;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// Deterministic, plausible customers: the same seed gives the same customers. Names from several
/// countries, unique emails, E.164 phones matching the address's country, addresses with the province
/// codes Shopify uses, tags, marketing consent and account states in realistic proportions.
/// </summary>
internal sealed class CustomerGenerator(int seed)
{
    private static readonly string[] FirstNames =
    [
        "Jane", "John", "Amelia", "Oliver", "Sofía", "Mateo", "Léa", "Hugo", "Emma", "Lukas", "Hannah", "Noah",
        "Chloé", "Lucas", "Mia", "Liam", "Zoë", "Ethan", "Ava", "Jack", "Isla", "Leon", "Charlotte", "William",
        "Aiko", "Haruto", "Priya", "Arjun", "Fatima", "Omar", "Ingrid", "Søren", "Maja", "Elias", "Olivia", "James",
    ];

    private static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "García", "Martínez", "Dubois", "Lefèvre", "Müller", "Schmidt",
        "Schneider", "Fischer", "Taylor", "Wilson", "Tremblay", "Roy", "Gagnon", "Nguyen", "O'Brien", "Murphy",
        "Kowalski", "Novak", "Jensen", "Nielsen", "Rossi", "Bianchi", "Tanaka", "Suzuki", "Patel", "Singh",
    ];

    private static readonly string[] Domains = ["example.com", "example.net", "example.org", "mail.example.com"];

    private static readonly string[] TagPool =
        ["vip", "wholesale", "newsletter", "returning", "b2b", "loyalty-gold", "loyalty-silver", "event-2026", "gift-card", "review-left"];

    private static readonly string[] Streets =
        ["Main Street", "High Street", "Oak Avenue", "Maple Road", "Station Road", "Church Lane", "King Street", "Park Avenue"];

    private static readonly string[] Companies = ["Northwind Traders", "Contoso Ltd", "Fabrikam", "Tailspin Toys", "Adventure Works"];

    // Country, ISO code, calling code, the start of a real number range there (so that phone libraries
    // accept the numbers) and how many digits follow it, (city, province, province code, postal code) choices.
    private static readonly (string Country, string Code, string Calling, string Range, int Digits, (string City, string? Province, string? ProvinceCode, string Zip)[] Places)[] Countries =
    [
        ("United States", "US", "1", "212555", 4, [("New York", "New York", "NY", "10001"), ("Austin", "Texas", "TX", "78701"), ("Seattle", "Washington", "WA", "98101"), ("Chicago", "Illinois", "IL", "60601")]),
        ("Canada", "CA", "1", "416555", 4, [("Toronto", "Ontario", "ON", "M5V 2T6"), ("Montréal", "Quebec", "QC", "H2Y 1C6"), ("Vancouver", "British Columbia", "BC", "V6B 1A1")]),
        ("United Kingdom", "GB", "44", "207946", 4, [("London", null, null, "SW1A 1AA"), ("Manchester", null, null, "M1 1AE"), ("Edinburgh", null, null, "EH1 1YZ")]),
        ("Germany", "DE", "49", "3091", 6, [("Berlin", null, null, "10115"), ("München", null, null, "80331"), ("Hamburg", null, null, "20095")]),
        ("France", "FR", "33", "14", 7, [("Paris", null, null, "75001"), ("Lyon", null, null, "69001"), ("Marseille", null, null, "13001")]),
        ("Australia", "AU", "61", "29", 7, [("Sydney", "New South Wales", "NSW", "2000"), ("Melbourne", "Victoria", "VIC", "3000"), ("Brisbane", "Queensland", "QLD", "4000")]),
        ("Japan", "JP", "81", "35", 7, [("Tokyo", "Tokyo", "JP-13", "100-0001"), ("Osaka", "Ōsaka", "JP-27", "530-0001")]),
    ];

    // Seeded on purpose: the same seed must give the same customers in every run.
    private readonly Random _random = new(seed);

    /// <summary>Fills <paramref name="customer"/>; <paramref name="sequence"/> keeps its email unique in the store.</summary>
    public void Fill(SandboxCustomer customer, long sequence, DateTimeOffset now)
    {
        var first = Pick(FirstNames);
        var last = Pick(LastNames);
        var (country, code, calling, range, digits, places) = Pick(Countries);
        var place = Pick(places);
        customer.FirstName = first;
        customer.LastName = last;
        customer.Email = $"{Ascii(first)}.{Ascii(last)}{sequence.ToString(CultureInfo.InvariantCulture)}@{Pick(Domains)}";
        customer.Phone = _random.NextDouble() < 0.8 ? Phone(calling, range, digits) : null;
        customer.State = _random.NextDouble() switch { < 0.85 => "ENABLED", < 0.93 => "DISABLED", < 0.98 => "INVITED", _ => "DECLINED" };
        customer.Tags = [.. TagPool.OrderBy(_ => _random.Next()).Take(_random.Next(0, 4))];
        customer.Note = _random.NextDouble() < 0.15 ? "Prefers delivery after 5 pm." : null;
        customer.DefaultAddress = _random.NextDouble() < 0.9
            ? new SandboxAddress
            {
                Address1 = $"{_random.Next(1, 400).ToString(CultureInfo.InvariantCulture)} {Pick(Streets)}",
                Address2 = _random.NextDouble() < 0.25 ? $"Apt {_random.Next(1, 60).ToString(CultureInfo.InvariantCulture)}" : null,
                City = place.City,
                Province = place.Province,
                ProvinceCode = place.ProvinceCode,
                Zip = place.Zip,
                Country = country,
                CountryCode = code,
                Company = _random.NextDouble() < 0.2 ? Pick(Companies) : null,
                Phone = customer.Phone,
            }
            : null;

        // Created up to two years ago, changed some time since, whole seconds like Shopify's stamps.
        var created = Truncate(now.AddSeconds(-_random.Next(3600, 2 * 365 * 24 * 3600)));
        customer.CreatedAt = created;
        customer.UpdatedAt = Truncate(created.AddSeconds(_random.NextDouble() * (now - created).TotalSeconds * 0.99));
        (customer.EmailMarketingState, customer.EmailMarketingOptInLevel) = _random.NextDouble() switch
        {
            < 0.45 => ("SUBSCRIBED", _random.NextDouble() < 0.5 ? "SINGLE_OPT_IN" : "CONFIRMED_OPT_IN"),
            < 0.85 => ("NOT_SUBSCRIBED", (string?)null),
            < 0.97 => ("UNSUBSCRIBED", "SINGLE_OPT_IN"),
            _ => ("PENDING", "CONFIRMED_OPT_IN"),
        };
        customer.EmailMarketingUpdatedAt = customer.EmailMarketingState == "NOT_SUBSCRIBED" ? null : customer.UpdatedAt;
    }

    /// <summary>The gap to the next customer id: Shopify ids grow but are not consecutive.</summary>
    public int NextIdGap() => _random.Next(1, 5000);

    /// <summary>Whole seconds, UTC.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    private string Phone(string calling, string range, int digits)
    {
        var number = new StringBuilder("+").Append(calling).Append(range);
        for (var i = 0; i < digits; i++) number.Append(_random.Next(0, 10));
        return number.ToString();
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    // Email local parts without accents or apostrophes: "Sofía O'Brien" → "sofia.obrien".
    private static string Ascii(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetter(c)) text.Append(char.ToLowerInvariant(c));
            else if (c == 'ø') text.Append('o');
        }
        return text.ToString();
    }
}

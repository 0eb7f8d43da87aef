using System.Globalization;
using System.Text;

namespace Connectors.Sandbox.WooCommerce;

/// <summary>
/// Deterministic, plausible customers and orders: the same seed gives the same store. Names from several countries,
/// unique emails, billing addresses with phones, most customers stamped by WooCommerce (a few never were), orders of
/// one to four lines from a small catalogue, some by guests, statuses in realistic proportions.
/// </summary>
internal sealed class StoreGenerator(int seed)
{
    private static readonly string[] FirstNames =
    [
        "Jane", "John", "Amelia", "Oliver", "Sofía", "Mateo", "Léa", "Hugo", "Emma", "Lukas", "Hannah", "Noah",
        "Chloé", "Lucas", "Mia", "Liam", "Zoë", "Ethan", "Ava", "Jack", "Isla", "Leon", "Charlotte", "William",
    ];

    private static readonly string[] LastNames =
    [
        "Smith", "Johnson", "García", "Martínez", "Dubois", "Lefèvre", "Müller", "Schmidt", "Taylor", "Wilson",
        "Tremblay", "Nguyen", "O'Brien", "Murphy", "Kowalski", "Jensen", "Rossi", "Tanaka", "Patel", "Singh",
    ];

    private static readonly string[] Domains = ["example.com", "example.net", "example.org"];

    private static readonly string[] Streets = ["Main Street", "High Street", "Oak Avenue", "Station Road", "Church Lane", "Park Avenue"];

    // Country code, calling code, a real number range, digits after it, (city, state code, postcode) choices.
    private static readonly (string Country, string Calling, string Range, int Digits, (string City, string State, string Postcode)[] Places)[] Countries =
    [
        ("US", "1", "212555", 4, [("New York", "NY", "10001"), ("Austin", "TX", "78701"), ("Seattle", "WA", "98101")]),
        ("GB", "44", "207946", 4, [("London", "", "SW1A 1AA"), ("Manchester", "", "M1 1AE")]),
        ("DE", "49", "3091", 6, [("Berlin", "BE", "10115"), ("München", "BY", "80331")]),
        ("FR", "33", "14", 7, [("Paris", "", "75001"), ("Lyon", "", "69001")]),
    ];

    private static readonly (long Id, string Name, string Sku, decimal Price)[] Catalogue =
    [
        (501, "Ceramic Mug", "MUG-001", 12.50m), (502, "Linen Apron", "APR-002", 34.00m), (503, "Oak Chopping Board", "BRD-003", 45.90m),
        (504, "Espresso Cups (set of 4)", "CUP-004", 28.00m), (505, "Tea Towel", "TWL-005", 9.95m), (506, "Cast Iron Pan", "PAN-006", 79.00m),
    ];

    // Seeded on purpose: the same seed must give the same store in every run.
    private readonly Random _random = new(seed);

    /// <summary>Fills <paramref name="customer"/>; <paramref name="sequence"/> keeps its email and user name unique in the store.</summary>
    public void Fill(WooCustomer customer, long sequence, DateTimeOffset now)
    {
        var first = Pick(FirstNames);
        var last = Pick(LastNames);
        var local = $"{Ascii(first)}.{Ascii(last)}{sequence.ToString(CultureInfo.InvariantCulture)}";
        customer.FirstName = first;
        customer.LastName = last;
        customer.Email = $"{local}@{Pick(Domains)}";
        customer.Username = local;
        customer.Billing = Address(first, last, customer.Email);
        customer.Shipping = _random.NextDouble() < 0.7 ? ShippingOf(customer.Billing) : new WooAddress();
        customer.IsPayingCustomer = _random.NextDouble() < 0.6;
        // Registered up to two years ago, saved some time since; a few users WooCommerce never stamped.
        customer.CreatedAt = WooCommerceSandbox.WholeSecond(now.AddSeconds(-_random.Next(3600, 2 * 365 * 24 * 3600)));
        customer.ModifiedAt = _random.NextDouble() < 0.05
            ? null
            : WooCommerceSandbox.WholeSecond(customer.CreatedAt.AddSeconds(_random.NextDouble() * (now - customer.CreatedAt).TotalSeconds * 0.95));
    }

    /// <summary>Fills <paramref name="order"/> for <paramref name="customer"/> (<see langword="null"/>: a guest), placed in the last 60 days.</summary>
    public void Fill(WooOrder order, WooCustomer? customer, DateTimeOffset now, Func<long> nextItemId)
    {
        var guestFirst = Pick(FirstNames);
        var guestLast = Pick(LastNames);
        order.CustomerId = customer?.Id ?? 0;
        order.Billing = customer?.Billing.Clone() ?? Address(guestFirst, guestLast, $"{Ascii(guestFirst)}.{Ascii(guestLast)}.guest{_random.Next(1000, 9999)}@{Pick(Domains)}");
        order.Shipping = ShippingOf(order.Billing);
        order.Currency = "EUR";
        order.LineItems = [.. Enumerable.Range(0, _random.Next(1, 5)).Select(_ =>
        {
            var (productId, name, sku, price) = Pick(Catalogue);
            var quantity = _random.Next(1, 4);
            return new WooLineItem
            {
                Id = nextItemId(), Name = name, ProductId = productId, Sku = sku, Price = price, Quantity = quantity,
                Tax = decimal.Round(price * quantity * 0.2m, 2),
            };
        })];
        order.ShippingTotal = _random.NextDouble() < 0.3 ? 0m : 4.90m;
        (order.Status, order.PaymentMethod, order.PaymentMethodTitle) = _random.NextDouble() switch
        {
            < 0.55 => ("completed", "stripe", "Credit card"),
            < 0.80 => ("processing", "stripe", "Credit card"),
            < 0.87 => ("on-hold", "bacs", "Direct bank transfer"),
            < 0.93 => ("pending", "bacs", "Direct bank transfer"),
            < 0.97 => ("cancelled", "stripe", "Credit card"),
            _ => ("refunded", "stripe", "Credit card"),
        };
        // Placed, paid, completed and last saved in that order, all in the past: at least a couple of minutes ago.
        order.CreatedAt = WooCommerceSandbox.WholeSecond(now.AddSeconds(-_random.Next(600, 60 * 24 * 3600)));
        var age = (now - order.CreatedAt).TotalSeconds;
        order.PaidAt = order.Status is "completed" or "processing" or "refunded" ? order.CreatedAt.AddSeconds(_random.Next(5, 120)) : null;
        order.TransactionId = order.PaidAt is null ? "" : $"ch_{_random.NextInt64(1L << 40, 1L << 50).ToString("x", CultureInfo.InvariantCulture)}";
        order.CompletedAt = order.Status == "completed" ? WooCommerceSandbox.WholeSecond(order.CreatedAt.AddSeconds(age * (0.3 + 0.5 * _random.NextDouble()))) : null;
        var settled = order.CompletedAt ?? order.PaidAt ?? order.CreatedAt;
        order.ModifiedAt = WooCommerceSandbox.WholeSecond(settled.AddSeconds(_random.NextDouble() * (now - settled).TotalSeconds * 0.5));
    }

    /// <summary>Whether the next order is a guest checkout (one in ten).</summary>
    public bool NextIsGuest() => _random.NextDouble() < 0.1;

    /// <summary>Picks one of <paramref name="count"/> customers.</summary>
    public int NextIndex(int count) => _random.Next(count);

    /// <summary>The gap to the next order id: other posts (products, pages, refunds) take ids in between.</summary>
    public int NextOrderIdGap() => _random.Next(1, 4);

    private WooAddress Address(string first, string last, string email)
    {
        var (country, calling, range, digits, places) = Pick(Countries);
        var (city, state, postcode) = Pick(places);
        var phone = new StringBuilder("+").Append(calling).Append(range);
        for (var i = 0; i < digits; i++) phone.Append(_random.Next(0, 10));
        return new WooAddress
        {
            FirstName = first,
            LastName = last,
            Address1 = $"{_random.Next(1, 400).ToString(CultureInfo.InvariantCulture)} {Pick(Streets)}",
            City = city,
            State = state,
            Postcode = postcode,
            Country = country,
            Email = email,
            Phone = _random.NextDouble() < 0.85 ? phone.ToString() : "",
        };
    }

    private static WooAddress ShippingOf(WooAddress billing)
    {
        var shipping = billing.Clone();
        shipping.Email = "";
        return shipping;
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    // Email local parts without accents or apostrophes: "Sofía O'Brien" → "sofia.obrien".
    private static string Ascii(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetter(c)) text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }
}

using System.Globalization;
using Connectors.Sandbox.Shopify;
using Connectors.Sandbox.Zoho;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Benchmarks;

/// <summary>
/// The benchmark's second process: the shop and CRM emulators with <c>N</c> customers and about as many
/// contacts, at zero latency (the cost bucket never runs dry, bulk jobs and bulk operations finish at once), so that the
/// reconciling process's memory is its own. The CRM holds the mapped customers with known drift: every
/// 100th contact renamed, every 200th customer left out, one CRM-only contact per 1,000; every 97th pair
/// is left unlinked so that it is joined by e-mail. Prints one JSON line, serves until standard input closes.
/// </summary>
internal static class BenchEmulators
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = int.Parse(args[0], CultureInfo.InvariantCulture);
        var linksFile = args[1];
        var clock = TimeProvider.System;
        await using var shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { MaximumAvailable = 1e12, RestoreRate = 1e12 }, clock, default);
        await using var crm = await ZohoSandbox.StartAsync(new ZohoSandboxOptions(), clock, default);
        shop.Seed(count, seed: 7);

        long drifted = 0, missing = 0, linked = 0, extra = 0;
        await using (var links = new StreamWriter(linksFile))
        {
            var i = 0;
            foreach (var customer in shop.Customers)
            {
                i++;
                if (i % 200 == 50)
                {
                    missing++;
                    continue;
                }
                var contact = new JObject();
                Put(contact, "Email", customer.Email?.Trim().ToLowerInvariant());
                Put(contact, "First_Name", customer.FirstName?.Trim());
                Put(contact, "Last_Name", i % 100 == 0 ? "Renamed in the CRM" : customer.LastName?.Trim());
                Put(contact, "Phone", customer.Phone);
                Put(contact, "Mailing_City", customer.DefaultAddress?.City);
                Put(contact, "Mailing_Country", customer.DefaultAddress?.Country);
                var id = crm.Contacts.Insert(contact).Value<string>("id")!;
                if (i % 100 == 0) drifted++;
                if (i % 97 != 0)
                {
                    await links.WriteLineAsync($"{customer.Id.ToString(CultureInfo.InvariantCulture)}\t{id}");
                    linked++;
                }
                if (i % 1000 == 0)
                {
                    crm.Contacts.Insert(new JObject { ["Last_Name"] = "Walk-in", ["Email"] = $"walk.in.{i.ToString(CultureInfo.InvariantCulture)}@example.org" });
                    extra++;
                }
            }
        }
        GC.Collect();

        Console.WriteLine(new JObject
        {
            ["shopUrl"] = shop.ShopUrl.ToString(),
            ["shopToken"] = shop.AccessToken,
            ["zohoUrl"] = crm.ApiDomain.ToString(),
            ["clientId"] = crm.ClientId,
            ["clientSecret"] = crm.ClientSecret,
            ["refreshToken"] = crm.RefreshToken,
            ["customers"] = count,
            ["contacts"] = crm.Contacts.Count,
            ["drifted"] = drifted,
            ["missing"] = missing,
            ["extra"] = extra,
            ["linked"] = linked,
        }.ToString(Formatting.None));
        await Console.Out.FlushAsync();
        // Serve until the benchmark closes our standard input.
        await Console.In.ReadToEndAsync();
        return 0;
    }

    private static void Put(JObject contact, string field, string? value)
    {
        if (!string.IsNullOrEmpty(value)) contact[field] = value;
    }
}

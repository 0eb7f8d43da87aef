using System.CommandLine;
using Connectors.Functions.Hosting;
using Connectors.Core.Configuration;
using Connectors.Core.Sync;
using Connectors.Core.Sync.TwoWay;
using Connectors.Sandbox.BusinessCentral;
using Connectors.Sandbox.Shopify;
using Connectors.Sandbox.Typeform;
using Connectors.Sandbox.Zoho;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Spectre.Console;

namespace Connectors.Cli.Commands;

/// <summary>
/// <c>connectors demo</c>: starts the shop, CRM and survey emulators on loopback, syncs the seeded shop
/// customers into the CRM with <c>samples/demo.yaml</c>, changes a few, syncs again; then the shop's
/// products and orders (an order edited and one cancelled, synced again), and the answers to an NPS survey
/// onto the contacts and as cases; and prints what happened. Then a two-way flow between a CRM and an
/// ERP (<c>samples/two-way-demo.yaml</c>): one field edited on each side, both edits end on both sides; a
/// phone edited on both sides waits in the conflict queue and syncs once resolved. It uses the real config
/// loader, connectors, engines and state store.
/// </summary>
internal static class DemoCommand
{
    private const string FlowName = "customers-to-crm";
    private const string Stranger = "newsletter.reader@example.org";
    private const int DeadLettersShownPerFlow = 5;
    private const string TwoWayFlowName = "contacts-erp";

    public static Command Create()
    {
        var customers = new Option<int>("--customers")
        {
            Description = "How many customers the demo shop starts with.",
            DefaultValueFactory = _ => 2_000,
        };
        var command = new Command("demo",
            "Runs the demo: shop customers, products and orders and survey answers into the CRM, against built-in emulators of all three.") { customers };
        command.SetAction((parse, cancellationToken) => RunAsync(AnsiConsole.Console, parse.GetValue(customers), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(IAnsiConsole console, int customerCount, CancellationToken cancellationToken)
    {
        var clock = TimeProvider.System;
        // A Shopify Plus shop: its query-cost bucket refills at 1,000 points a second, so the first load is not paced for long.
        await using var shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { RestoreRate = 1_000, MaximumAvailable = 10_000 }, clock, cancellationToken);
        await using var crm = await ZohoSandbox.StartAsync(new ZohoSandboxOptions(), clock, cancellationToken);
        await using var survey = await TypeformSandbox.StartAsync(new TypeformSandboxOptions(), clock, cancellationToken);
        var seeded = shop.Seed(customerCount, seed: 7);
        shop.SeedProducts(40, seed: 7);
        var orders = shop.SeedOrders(customerCount / 2, seed: 7);
        // One customer whose first name is longer than the CRM allows: the CRM refuses it and it lands
        // in the dead letters with the CRM's reason, while its batch is written.
        shop.UpdateCustomer(seeded[^1].Id, c => c.FirstName = new string('A', 60));

        console.MarkupLine($"[bold]Demo shop[/] at {shop.ShopUrl} with {customerCount:N0} customers; [bold]demo CRM[/] at {crm.ApiDomain} with {crm.Contacts.Count:N0} contacts.");
        var config = ConfigLoader.Parse(ReadDemoConfig(), "samples/demo.yaml", new DemoSecrets(new Dictionary<string, string>
        {
            ["SHOP_URL"] = shop.ShopUrl.ToString(),
            ["SHOPIFY_ACCESS_TOKEN"] = shop.AccessToken,
            ["ZOHO_ACCOUNTS_URL"] = crm.AccountsUrl.ToString(),
            ["ZOHO_API_DOMAIN"] = crm.ApiDomain.ToString(),
            ["ZOHO_CLIENT_ID"] = crm.ClientId,
            ["ZOHO_CLIENT_SECRET"] = crm.ClientSecret,
            ["ZOHO_REFRESH_TOKEN"] = crm.RefreshToken,
            ["TYPEFORM_URL"] = survey.BaseUrl.ToString(),
            ["TYPEFORM_ACCESS_TOKEN"] = survey.AccessToken,
            ["TYPEFORM_FORM_ID"] = survey.FormId,
        }), SystemTypes.DefaultMappings);

        var stateFolder = Directory.CreateTempSubdirectory("connectors-demo-");
        try
        {
            await using var host = ConnectorHost.Build(config, Path.Combine(stateFolder.FullName, "state.db"), clock, NullLoggerFactory.Instance);
            var runs = new List<(string, SyncReport)>();

            console.MarkupLine($"\n[bold]1.[/] First sync of flow [blue]{FlowName}[/] (shop.customers → crm.Contacts).");
            runs.Add(("1 first load", await RunWithProgress.SyncAsync(console, host, FlowName, cancellationToken)));

            var changed = seeded.Take(3).ToList();
            foreach (var customer in changed)
            {
                shop.UpdateCustomer(customer.Id, c => c.LastName = c.LastName + "-Smith");
            }
            console.MarkupLine($"[bold]2.[/] Three customers change their last name in the shop ({string.Join(", ", changed.Select(c => c.Id))}); sync again.");
            runs.Add(("2 after 3 edits", await RunWithProgress.SyncAsync(console, host, FlowName, cancellationToken)));

            console.MarkupLine("[bold]3.[/] Nothing changed; sync again.");
            runs.Add(("3 no changes", await RunWithProgress.SyncAsync(console, host, FlowName, cancellationToken)));

            console.MarkupLine("[bold]4.[/] The shop's products into the CRM (shop.products → crm.Products), so that order lines can name them.");
            runs.Add(("4 products", await RunWithProgress.SyncAsync(console, host, "products-to-crm", cancellationToken)));

            console.MarkupLine($"[bold]5.[/] {orders.Count:N0} orders with their lines into the CRM (shop.orders → crm.Sales_Orders), "
                + "each linked to its contact through the customers' links.");
            runs.Add(("5 orders", await RunWithProgress.SyncAsync(console, host, "orders-to-crm", cancellationToken)));

            var linkedOrders = orders.Where(o => o.CustomerId is { } id && id != seeded[^1].Id).ToList();
            if (linkedOrders.Count >= 2)
            {
                var edited = shop.UpdateOrder(linkedOrders[0].Id, o => o.LineItems[0].Quantity += 2);
                var cancelled = shop.CancelOrder(linkedOrders[1].Id, "CUSTOMER");
                console.MarkupLine($"[bold]6.[/] Order {edited.Name} gets two more of its first item and order {cancelled.Name} is cancelled in the shop; sync again.");
                runs.Add(("6 order edit + cancel", await RunWithProgress.SyncAsync(console, host, "orders-to-crm", cancellationToken)));
            }

            var respondents = seeded.Take(Math.Max(1, customerCount / 10)).Select(c => c.Email).Append(Stranger).ToList();
            survey.Seed(respondents, seed: 7);
            console.MarkupLine($"[bold]7.[/] {respondents.Count:N0} answers to the NPS survey (one from someone who is not a customer); "
                + "the latest score lands on each contact (survey.responses → crm.Contacts).");
            runs.Add(("7 NPS → contacts", await RunWithProgress.SyncAsync(console, host, "feedback-to-contacts", cancellationToken)));

            console.MarkupLine("[bold]8.[/] Each answer also becomes a case on its contact (survey.responses → crm.Cases).");
            runs.Add(("8 NPS → cases", await RunWithProgress.SyncAsync(console, host, "feedback-to-cases", cancellationToken)));

            console.WriteLine();
            ReportTable.Write(console, runs);
            var deadLetters = await host.State.GetDeadLettersAsync(null, cancellationToken);
            console.MarkupLine($"\n[bold]Dead letters[/] ({deadLetters.Count}), each kept with its reason for replay:");
            foreach (var flow in deadLetters.GroupBy(l => l.Flow))
            {
                console.MarkupLineInterpolated($" [bold]{flow.Key}[/]:");
                foreach (var letter in flow.Take(DeadLettersShownPerFlow))
                {
                    console.MarkupLineInterpolated($"  {letter.Source}: {letter.Code} on {letter.Field ?? "-"}: {letter.Message}");
                }
                if (flow.Count() > DeadLettersShownPerFlow) console.MarkupLine($"  … and {flow.Count() - DeadLettersShownPerFlow} more.");
            }
            console.MarkupLine($"\nThe CRM now holds {crm.Contacts.Count:N0} contacts.");
            var salesOrders = crm.SalesOrders.All();
            console.MarkupLine($"It holds {salesOrders.Count:N0} sales orders ({salesOrders.Count(o => o.Value<string>("Status") == "Cancelled"):N0} cancelled) "
                + $"with {salesOrders.Sum(o => (o["Ordered_Items"] as JArray)?.Count ?? 0):N0} lines, {crm.Products.Count:N0} products "
                + $"and {crm.Cases.Count:N0} cases; {crm.Contacts.All().Count(c => c["Latest_NPS"] is { Type: not JTokenType.Null }):N0} contacts carry their latest NPS.");
            var oneWay = runs.Max(r => ReportTable.ExitCode(r.Item2));
            var twoWay = await TwoWayAsync(console, clock, stateFolder.FullName, cancellationToken);
            return Math.Max(oneWay, twoWay);
        }
        finally
        {
            stateFolder.Delete(recursive: true);
        }
    }

    /// <summary>Steps 4 to 7: a two-way flow between a CRM and an ERP, each on an emulator of its own.</summary>
    private static async Task<int> TwoWayAsync(IAnsiConsole console, TimeProvider clock, string stateFolder, CancellationToken cancellationToken)
    {
        await using var crm = await ZohoSandbox.StartAsync(new ZohoSandboxOptions(), clock, cancellationToken);
        await using var erp = await BusinessCentralSandbox.StartAsync(new BusinessCentralSandboxOptions(), clock, cancellationToken);
        var ann = crm.Contacts.Insert(Contact("Ann", "Lee", "ann.lee@example.com", "+1 555 0100", "Pune"));
        crm.Contacts.Insert(Contact("Ben", "Okafor", "ben.okafor@example.com", "+1 555 0101", "Lagos"));
        crm.Contacts.Insert(Contact("Chloé", "Moreau", "chloe.moreau@example.com", "+33 1 55 00 01 02", "Lyon"));
        // The ERP knows two of them already, one with its e-mail in capitals: matched, not copied.
        var annInErp = erp.Insert(new JObject { ["displayName"] = "Ann Lee", ["email"] = "Ann.Lee@Example.com", ["phoneNumber"] = "+1 555 0100", ["city"] = "Pune" });
        erp.Insert(new JObject { ["displayName"] = "Ben Okafor", ["email"] = "ben.okafor@example.com", ["phoneNumber"] = "+1 555 0101" });

        var config = ConfigLoader.Parse(ReadConfig("two-way-demo.yaml"), "samples/two-way-demo.yaml", new DemoSecrets(new Dictionary<string, string>
        {
            ["ZOHO_ACCOUNTS_URL"] = crm.AccountsUrl.ToString(),
            ["ZOHO_API_DOMAIN"] = crm.ApiDomain.ToString(),
            ["ZOHO_CLIENT_ID"] = crm.ClientId,
            ["ZOHO_CLIENT_SECRET"] = crm.ClientSecret,
            ["ZOHO_REFRESH_TOKEN"] = crm.RefreshToken,
            ["BC_TENANT_ID"] = erp.TenantId,
            ["BC_ENVIRONMENT"] = erp.Environment,
            ["BC_COMPANY_ID"] = erp.CompanyId,
            ["BC_CLIENT_ID"] = erp.ClientId,
            ["BC_CLIENT_SECRET"] = erp.ClientSecret,
            ["BC_TOKEN_ENDPOINT"] = erp.TokenEndpoint.ToString(),
            ["BC_BASE_URL"] = erp.ApiBaseUrl.ToString(),
        }));
        await using var host = ConnectorHost.Build(config, Path.Combine(stateFolder, "two-way-state.db"), clock, NullLoggerFactory.Instance);
        var runs = new List<(string, TwoWayReport)>();
        var annId = (string)ann["id"]!;
        var customerId = (string)annInErp["id"]!;
        void ShowAnn() => console.MarkupLineInterpolated(
            $"   Ann in the CRM: phone {(string?)crm.Contacts.Get(annId)!["Phone"]}, city {(string?)crm.Contacts.Get(annId)!["Mailing_City"]}   |   in the ERP: phone {(string?)erp.Find(customerId)!["phoneNumber"]}, city {(string?)erp.Find(customerId)!["city"]}");

        console.MarkupLine($"\n[bold]4.[/] Two-way flow [blue]{TwoWayFlowName}[/] (crm.Contacts ⇄ erp.customers): the CRM has 3 contacts, the ERP 2 of the same customers. First sync.");
        runs.Add(("4 first two-way sync", await RunWithProgress.SyncTwoWayAsync(console, host, TwoWayFlowName, cancellationToken)));

        crm.Contacts.Edit(annId, new JObject { ["Phone"] = "+1 555 0111" });
        erp.Edit(customerId, c => c["city"] = "Mumbai");
        console.MarkupLine("[bold]5.[/] Ann's phone changes in the CRM and her city in the ERP, one field each; sync.");
        runs.Add(("5 one field each side", await RunWithProgress.SyncTwoWayAsync(console, host, TwoWayFlowName, cancellationToken)));
        ShowAnn();

        crm.Contacts.Edit(annId, new JObject { ["Phone"] = "+1 555 0122" });
        erp.Edit(customerId, c => c["phoneNumber"] = "+1 555 0133");
        console.MarkupLine("[bold]6.[/] Both sides change Ann's phone, a field the flow leaves to a person (manual); sync.");
        runs.Add(("6 same field both sides", await RunWithProgress.SyncTwoWayAsync(console, host, TwoWayFlowName, cancellationToken)));
        var waiting = await host.State.GetConflictsAsync(TwoWayFlowName, cancellationToken);
        console.MarkupLine("   The conflict queue (connectors conflicts list):");
        TwoWayTable.WriteConflicts(console, waiting);
        ShowAnn();
        foreach (var conflict in waiting)
        {
            console.MarkupLineInterpolated($"   connectors conflicts resolve {conflict.Id} --take erp");
            if (await host.ResolveConflictAsync(conflict.Id, "erp", clock, cancellationToken) is { } resolved) runs.Add(("6 resolve --take erp", resolved.Report));
        }
        ShowAnn();

        console.MarkupLine("[bold]7.[/] Nothing changed; sync again: our own writes come back and cost nothing.");
        runs.Add(("7 no changes", await RunWithProgress.SyncTwoWayAsync(console, host, TwoWayFlowName, cancellationToken)));
        console.WriteLine();
        TwoWayTable.Write(console, runs, "crm", "erp");
        console.MarkupLine($"\nThe CRM holds {crm.Contacts.Count} contacts, the ERP {erp.Customers.Count} customers; {(await host.State.GetConflictsAsync(TwoWayFlowName, cancellationToken)).Count} conflict(s) wait.");
        return runs.Max(r => TwoWayTable.ExitCode(r.Item2));
    }

    private static JObject Contact(string first, string last, string email, string phone, string city) => new()
    {
        ["First_Name"] = first,
        ["Last_Name"] = last,
        ["Email"] = email,
        ["Phone"] = phone,
        ["Mailing_City"] = city,
    };

    private static string ReadDemoConfig() => ReadConfig("demo.yaml");

    private static string ReadConfig(string name)
    {
        using var stream = typeof(DemoCommand).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException("The demo config is not embedded in this build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The demo's references resolve to the emulators it just started.</summary>
    private sealed class DemoSecrets(Dictionary<string, string> values) : ISecretResolver
    {
        public string? Resolve(string kind, string name) => values.GetValueOrDefault(name);
    }
}

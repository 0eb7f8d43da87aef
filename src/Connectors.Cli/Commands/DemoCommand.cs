using System.CommandLine;
using Connectors.Functions.Hosting;
using Connectors.Core.Configuration;
using Connectors.Core.Sync;
using Connectors.Sandbox.Shopify;
using Connectors.Sandbox.Zoho;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Connectors.Cli.Commands;

/// <summary>
/// <c>connectors demo</c>: starts the shop and CRM emulators on loopback, syncs the seeded shop
/// customers into the CRM with <c>samples/demo.yaml</c>, changes a few, syncs again, and prints
/// what happened. It uses the real config loader, connectors, engine and state store.
/// </summary>
internal static class DemoCommand
{
    private const string FlowName = "customers-to-crm";

    public static Command Create()
    {
        var customers = new Option<int>("--customers")
        {
            Description = "How many customers the demo shop starts with.",
            DefaultValueFactory = _ => 2_000,
        };
        var command = new Command("demo", "Runs the demo: shop customers into the CRM, against built-in emulators of both.") { customers };
        command.SetAction((parse, cancellationToken) => RunAsync(AnsiConsole.Console, parse.GetValue(customers), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(IAnsiConsole console, int customerCount, CancellationToken cancellationToken)
    {
        var clock = TimeProvider.System;
        // A Shopify Plus shop: its query-cost bucket refills at 1,000 points a second, so the first load is not paced for long.
        await using var shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { RestoreRate = 1_000, MaximumAvailable = 10_000 }, clock, cancellationToken);
        await using var crm = await ZohoSandbox.StartAsync(new ZohoSandboxOptions(), clock, cancellationToken);
        var seeded = shop.Seed(customerCount, seed: 7);
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

            console.WriteLine();
            ReportTable.Write(console, runs);
            var deadLetters = await host.State.GetDeadLettersAsync(FlowName, cancellationToken);
            console.MarkupLine($"\n[bold]Dead letters[/] ({deadLetters.Count}), each kept with the CRM's reason for replay:");
            foreach (var letter in deadLetters)
            {
                console.MarkupLineInterpolated($"  {letter.Source}: {letter.Code} on {letter.Field ?? "-"}: {letter.Message}");
            }
            console.MarkupLine($"\nThe CRM now holds {crm.Contacts.Count:N0} contacts.");
            return runs.Max(r => ReportTable.ExitCode(r.Item2));
        }
        finally
        {
            stateFolder.Delete(recursive: true);
        }
    }

    private static string ReadDemoConfig()
    {
        using var stream = typeof(DemoCommand).Assembly.GetManifestResourceStream("demo.yaml")
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

using System.CommandLine;
using Connectors.Cli.Commands;
using Spectre.Console;

// Piped into a file or a CI log there is no terminal width to fit; a report table needs room.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 140;
}

var root = new RootCommand("connectors: keeps customers, orders and feedback in sync between shops, ERPs and CRMs.")
{
    DemoCommand.Create(),
    SyncCommand.Create(),
    ServeCommand.Create(),
    FunctionsCommand.Create(),
    ReplayCommand.Create(),
    PublishCommand.Create(),
    ValidateCommand.Create(),
    PlanCommand.Create(),
    ConflictsCommand.Create(),
    ReconcileCommand.Create(),
    StatusCommand.Create(),
};
return await root.Parse(args).InvokeAsync();

using System.CommandLine;
using System.Diagnostics;

namespace Connectors.Cli.Commands;

/// <summary>
/// <c>connectors publish</c>: builds the deployment zip of infra/README.md — a self-contained linux-x64
/// single-file publish of this CLI under <c>app/</c>, with host.json and the function folders at the root.
/// Run it from the repository (or pass <c>--repository</c>).
/// </summary>
internal static class PublishCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--output", "-o") { Description = "The zip to write.", DefaultValueFactory = _ => new FileInfo("connectors-functions.zip") };
        var repository = new Option<DirectoryInfo>("--repository") { Description = "The repository root (host.json, function folders, src/).", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var from = new Option<DirectoryInfo?>("--from") { Description = "Package this already published folder instead of running dotnet publish." };
        var config = new Option<FileInfo?>("--config", "-c") { Description = "A config to ship as app/connectors.yaml (the handler's default)." };
        var command = new Command("publish", "Builds the Azure Functions deployment zip (self-contained linux-x64 handler, host.json, function folders).")
        {
            output, repository, from, config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var root = parse.GetValue(repository)!.FullName;
            var folder = parse.GetValue(from)?.FullName;
            string? scratch = null;
            if (folder is null)
            {
                scratch = Directory.CreateTempSubdirectory("connectors-publish-").FullName;
                folder = Path.Combine(scratch, "app");
                var publish = new ProcessStartInfo("dotnet")
                {
                    ArgumentList =
                    {
                        "publish", Path.Combine(root, "src", "Connectors.Cli"), "-c", "Release", "-r", "linux-x64", "--self-contained", "true",
                        "-p:PublishSingleFile=true", "-o", folder,
                    },
                };
                using var process = Process.Start(publish) ?? throw new InvalidOperationException("Could not start dotnet publish.");
                await process.WaitForExitAsync(cancellationToken);
                if (process.ExitCode != 0)
                {
                    Console.Error.WriteLine($"dotnet publish failed ({process.ExitCode}).");
                    return ExitCodes.Failed;
                }
            }
            try
            {
                var zip = parse.GetValue(output)!.FullName;
                var entries = FunctionPackage.Create(root, folder, zip, parse.GetValue(config)?.FullName);
                Console.WriteLine($"Wrote {zip}: {entries.Count} entries ({string.Join(", ", entries.Where(e => !e.StartsWith("app/", StringComparison.Ordinal) || e == "app/connectors"))}, …).");
                return ExitCodes.Ok;
            }
            finally
            {
                if (scratch is not null) Directory.Delete(scratch, recursive: true);
            }
        });
        return command;
    }
}

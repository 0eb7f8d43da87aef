using System.IO.Compression;
using Connectors.Cli.Commands;
using Newtonsoft.Json.Linq;

namespace Connectors.Functions.Tests.Publish;

public sealed class FunctionPackageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("connectors-package-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "host.json"))) return dir.FullName;
        }
        throw new InvalidOperationException("host.json not found above the test binaries.");
    }

    [Fact]
    public void Create_FromAPublishedHandler_LaysOutHostJsonFunctionFoldersAndAnExecutableHandler()
    {
        // The CLI as built next to these tests stands in for the self-contained publish: the layout is the same.
        var zipPath = Path.Combine(_folder, "connectors-functions.zip");

        FunctionPackage.Create(RepositoryRoot(), AppContext.BaseDirectory, zipPath, config: null);

        using var zip = ZipFile.OpenRead(zipPath);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("host.json", names);
        foreach (var function in new[] { "webhook", "sync-worker", "scheduled-sync", "reconcile", "ledger-sweep" })
        {
            Assert.Contains($"{function}/function.json", names);
        }
        var handler = zip.GetEntry("app/connectors")!;
        Assert.Equal(0b111_101_101, (handler.ExternalAttributes >> 16) & 0x1FF);
        Assert.All(names.Where(n => !n.StartsWith("app/", StringComparison.Ordinal)), n => Assert.True(n == "host.json" || n.EndsWith("/function.json", StringComparison.Ordinal), n));
        using var host = new StreamReader(zip.GetEntry("host.json")!.Open());
        var description = JObject.Parse(host.ReadToEnd())["customHandler"]!["description"]!;
        Assert.Equal("app/connectors", (string?)description["defaultExecutablePath"]);
        Assert.Equal("functions", (string?)description["arguments"]![0]);
        using var worker = new StreamReader(zip.GetEntry("sync-worker/function.json")!.Open());
        Assert.Equal("queueTrigger", (string?)JObject.Parse(worker.ReadToEnd())["bindings"]![0]!["type"]);
    }
}

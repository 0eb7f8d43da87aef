using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Connectors.Testing;

/// <summary>
/// The Azure Storage emulator tests run against: an Azurite that is already running, when the
/// environment says so, or one started through <c>infra/azurite.sh</c> on free ports and stopped again
/// when this is disposed.
/// <list type="bullet">
/// <item><c>AZURITE_CONNECTION_STRING</c>: use that account.</item>
/// <item><c>AZURITE_RUNNING=1</c>: use Azurite on its default ports (<c>UseDevelopmentStorage=true</c>).</item>
/// <item>otherwise: start one (installing it first if needed) and stop it at the end.</item>
/// </list>
/// </summary>
public sealed class AzuriteEmulator : IAsyncDisposable
{
    // Azurite's documented development account key: public, the same on every machine.
    /// <summary>The emulator's well-known account key (published with Azurite; not a secret).</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private string? _home;
    private Dictionary<string, string>? _environment;

    private AzuriteEmulator()
    {
    }

    /// <summary>The connection string of the emulator's account.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Finds the emulator the environment names, or starts one.</summary>
    public static async Task<AzuriteEmulator> StartOrFindAsync()
    {
        var emulator = new AzuriteEmulator();
        var given = Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING");
        if (!string.IsNullOrWhiteSpace(given))
        {
            emulator.ConnectionString = given;
        }
        else if (Environment.GetEnvironmentVariable("AZURITE_RUNNING") == "1")
        {
            emulator.ConnectionString = "UseDevelopmentStorage=true";
        }
        else
        {
            emulator.ConnectionString = await emulator.StartAsync();
        }
        return emulator;
    }

    /// <summary>Stops the emulator if this instance started it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_environment is null) return;
        await RunScriptAsync("stop", _environment, TimeSpan.FromSeconds(30));
        if (_home is not null && Directory.Exists(_home)) Directory.Delete(_home, recursive: true);
    }

    private async Task<string> StartAsync()
    {
        var ports = FreePorts(3);
        var (blob, queue, table) = (ports[0], ports[1], ports[2]);
        _home = Directory.CreateTempSubdirectory("azurite-tests-").FullName;
        _environment = new Dictionary<string, string>
        {
            ["AZURITE_HOME"] = _home,
            ["AZURITE_BLOB_PORT"] = blob.ToString(),
            ["AZURITE_QUEUE_PORT"] = queue.ToString(),
            ["AZURITE_TABLE_PORT"] = table.ToString(),
        };
        // The first start on a machine installs azurite from npm, which takes about a minute.
        await RunScriptAsync("start", _environment, TimeSpan.FromMinutes(5));
        return $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentAccountKey};"
            + $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;"
            + $"QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;"
            + $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
    }

    private static async Task RunScriptAsync(string command, Dictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "infra", "azurite.sh"));
        start.ArgumentList.Add(command);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run infra/azurite.sh.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"infra/azurite.sh {command} did not finish within {timeout}.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra/azurite.sh {command} failed ({process.ExitCode}): {await errors}{await output}");
        }
    }

    private static int[] FreePorts(int count)
    {
        // Held together until all are known, so that the system cannot hand out one port twice.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners) listener.Start();
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners) listener.Dispose();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "infra", "azurite.sh"))) return dir.FullName;
        }
        throw new InvalidOperationException("infra/azurite.sh not found above the test binaries.");
    }
}

using System.IO.Compression;

namespace Connectors.Cli.Commands;

/// <summary>
/// The deployment zip of the function app, laid out as the Functions host expects it (infra/README.md):
/// <c>host.json</c> and one <c>&lt;function&gt;/function.json</c> per function at the root, the handler
/// and its files under <c>app/</c>, the handler executable.
/// </summary>
internal static class FunctionPackage
{
    // Unix permission bits live in the high 16 bits of a zip entry's external attributes: a regular
    // file (0x8000) with rwxr-xr-x, or rw-r--r-- for everything else.
    private const int Executable = (0x8000 | 0b111_101_101) << 16;
    private const int Regular = (0x8000 | 0b110_100_100) << 16;

    /// <summary>Writes the zip from the repository's host.json and function folders and a published handler folder.</summary>
    /// <param name="repositoryRoot">Where host.json and the function folders are.</param>
    /// <param name="publishFolder">The output of <c>dotnet publish</c> of the CLI; it must hold the <c>connectors</c> executable.</param>
    /// <param name="zipPath">The zip to write (replaced if it exists).</param>
    /// <param name="config">A connector config to ship as <c>app/connectors.yaml</c>, or <see langword="null"/>.</param>
    /// <returns>The entry names written, in order.</returns>
    public static IReadOnlyList<string> Create(string repositoryRoot, string publishFolder, string zipPath, string? config)
    {
        var handler = Path.Combine(publishFolder, "connectors");
        if (!File.Exists(handler)) throw new FileNotFoundException("The publish folder has no 'connectors' executable.", handler);
        var hostJson = Path.Combine(repositoryRoot, "host.json");
        if (!File.Exists(hostJson)) throw new FileNotFoundException("The repository has no host.json.", hostJson);
        var functions = Directory.GetDirectories(repositoryRoot)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (functions.Length == 0) throw new InvalidOperationException($"No <function>/function.json under {repositoryRoot}.");

        if (File.Exists(zipPath)) File.Delete(zipPath);
        var written = new List<string>();
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        Add(zip, hostJson, "host.json", Regular, written);
        foreach (var function in functions)
        {
            Add(zip, Path.Combine(function, "function.json"), $"{Path.GetFileName(function)}/function.json", Regular, written);
        }
        foreach (var file in Directory.GetFiles(publishFolder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(publishFolder, file).Replace('\\', '/');
            if (relative.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)) continue;
            Add(zip, file, "app/" + relative, relative == "connectors" ? Executable : Regular, written);
        }
        if (config is not null) Add(zip, config, "app/connectors.yaml", Regular, written);
        return written;
    }

    private static void Add(ZipArchive zip, string file, string name, int attributes, List<string> written)
    {
        var entry = zip.CreateEntryFromFile(file, name, CompressionLevel.Optimal);
        entry.ExternalAttributes = attributes;
        written.Add(name);
    }
}

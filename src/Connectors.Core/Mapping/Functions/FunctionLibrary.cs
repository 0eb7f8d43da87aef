using System.Collections.Frozen;

namespace Connectors.Core.Mapping.Functions;

/// <summary>Every function a rule can call, by name; one family per file beside this one.</summary>
internal static class FunctionLibrary
{
    private static readonly FrozenDictionary<string, FunctionDefinition> Functions =
        TextFunctions.All
            .Concat(ListFunctions.All)
            .Concat(NumberFunctions.All)
            .Concat(DateFunctions.All)
            .Concat(PhoneFunctions.All)
            .Concat(EmailFunctions.All)
            .Concat(CountryFunctions.All)
            .Concat(HashFunctions.All)
            .Concat(DefaultFunctions.All)
            .Concat(ConversionFunctions.All)
            .ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The names of all functions, sorted.</summary>
    public static IEnumerable<string> Names => Functions.Keys.Order(StringComparer.Ordinal);

    /// <summary>Finds a function by name.</summary>
    public static bool TryFind(string name, out FunctionDefinition definition) => Functions.TryGetValue(name, out definition!);

    /// <summary>The known name closest to a misspelt one, when one is close enough to suggest.</summary>
    public static string? Suggest(string name)
    {
        string? best = null;
        var bestDistance = Math.Max(2, name.Length / 3) + 1;
        foreach (var candidate in Functions.Keys)
        {
            var distance = EditDistance(name, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>The name among <paramref name="candidates"/> closest to a misspelt one, when one is close enough to suggest.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = Math.Max(2, name.Length / 3) + 1;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping;

/// <summary>A compiled path into a record: property names and array indexes, resolved without parsing at run time.</summary>
internal sealed class JsonPath
{
    private readonly object[] _steps;

    private JsonPath(object[] steps) => _steps = steps;

    public static JsonPath Parse(string target, string text)
    {
        var steps = new List<object>();
        foreach (var segment in text.Split('.'))
        {
            var name = segment;
            var bracket = name.IndexOf('[', StringComparison.Ordinal);
            var index = -1;
            if (bracket >= 0)
            {
                if (!name.EndsWith(']') || !int.TryParse(name[(bracket + 1)..^1], out index) || index < 0)
                {
                    throw new MappingException(target, $"'{text}' is not a path: '{segment}' has a bad index.");
                }
                name = name[..bracket];
            }
            if (name.Length == 0 || !name.All(c => char.IsLetterOrDigit(c) || c is '_' or '$' or '-'))
            {
                throw new MappingException(target, $"'{text}' is not a path: '{segment}' is not a field name.");
            }
            steps.Add(name);
            if (index >= 0) steps.Add(index);
        }
        return new JsonPath([.. steps]);
    }

    public JToken? Select(JObject source)
    {
        JToken? current = source;
        foreach (var step in _steps)
        {
            current = step switch
            {
                string name when current is JObject obj => obj[name],
                int index when current is JArray array => index < array.Count ? array[index] : null,
                _ => null,
            };
            if (current is null) return null;
        }
        return current;
    }
}

using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using Newtonsoft.Json;
using Refit;

namespace Connectors.Core.Http;

/// <summary>
/// Refit content serializer on Newtonsoft.Json, so that vendor payloads stay <c>JObject</c>s end to end.
/// (Refit's own Newtonsoft package is not on our feed; this is the small part of it we need.)
/// </summary>
public sealed class NewtonsoftContentSerializer : IHttpContentSerializer
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };
    private readonly JsonSerializer _serializer;

    /// <summary>Creates a serializer with the given settings (defaults: dates kept as written, nulls omitted).</summary>
    public NewtonsoftContentSerializer(JsonSerializerSettings? settings = null)
    {
        _serializer = JsonSerializer.Create(settings ?? new JsonSerializerSettings
        {
            DateParseHandling = DateParseHandling.None,
            NullValueHandling = NullValueHandling.Ignore,
        });
    }

    /// <inheritdoc />
    public HttpContent ToHttpContent<T>(T item)
    {
        var text = new StringBuilder(256);
        using (var writer = new StringWriter(text))
        {
            _serializer.Serialize(writer, item, typeof(T));
        }
        var content = new StringContent(text.ToString(), Encoding.UTF8);
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    /// <inheritdoc />
    public async Task<T?> FromHttpContentAsync<T>(HttpContent content, CancellationToken cancellationToken = default)
    {
        if (content is null) return default;
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        using var json = new JsonTextReader(reader);
        return _serializer.Deserialize<T>(json);
    }

    /// <inheritdoc />
    public string? GetFieldNameForProperty(PropertyInfo propertyInfo)
    {
        ArgumentNullException.ThrowIfNull(propertyInfo);
        return propertyInfo.GetCustomAttribute<JsonPropertyAttribute>(true)?.PropertyName;
    }
}

namespace Connectors.Core.Mapping.Expressions;

/// <summary>What a rule is evaluated against: the whole record, the item of an <c>each</c> it is inside, and the run's links.</summary>
/// <param name="Root">The source record.</param>
/// <param name="Current">What relative paths start from: the record, or the current item inside <c>each</c>.</param>
/// <param name="Context">The links of the page being mapped.</param>
internal readonly record struct Scope(Newtonsoft.Json.Linq.JObject Root, Newtonsoft.Json.Linq.JToken Current, MappingContext Context)
{
    /// <summary>The same record and links, with relative paths starting at <paramref name="item"/>.</summary>
    public Scope WithCurrent(Newtonsoft.Json.Linq.JToken item) => this with { Current = item };
}

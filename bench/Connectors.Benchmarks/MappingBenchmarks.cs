using BenchmarkDotNet.Attributes;
using Connectors.Core.Mapping;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Benchmarks;

/// <summary>
/// What a compiled 25-field mapping costs per record, against what it costs just to parse and serialize
/// the same record with Newtonsoft (the floor of any sync run, which reads and writes JSON anyway).
/// Target: <see cref="Map"/> no more than twice <see cref="ParseAndSerialize"/>.
/// </summary>
[MemoryDiagnoser]
public class MappingBenchmarks
{
    private FieldMapping _mapping = null!;
    private JObject _record = null!;

    [GlobalSetup]
    public void Setup()
    {
        var fields = JObject.Parse(ShopifyCustomer.Mapping).Properties().Select(p => new MappingField(p.Name, p.Value)).ToList();
        _mapping = MappingCompiler.Compile(fields);
        if (_mapping.TargetFields.Count != 25) throw new InvalidOperationException($"The benchmark mapping has {_mapping.TargetFields.Count} fields, not 25.");
        _record = Parse(ShopifyCustomer.Json);
        var payload = _mapping.Apply(_record);
        if (payload.Count != 24) throw new InvalidOperationException($"The mapping wrote {payload.Count} fields: {payload}");
    }

    /// <summary>Parse the record as connectors do and serialize it back: the baseline.</summary>
    [Benchmark(Baseline = true)]
    public string ParseAndSerialize() => Parse(ShopifyCustomer.Json).ToString(Formatting.None);

    /// <summary>Map the already parsed record, as the sync run does per record.</summary>
    [Benchmark]
    public JObject Map() => _mapping.Apply(_record);

    private static JObject Parse(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }
}

using Connectors.Core.Mapping;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Tests.Mapping;

/// <summary>
/// The scripted escape hatch runs sandboxed: a runaway script fails its own record with the limit it hit,
/// the next record maps normally, and a script can neither reach .NET nor carry state between records.
/// </summary>
public sealed class ScriptRuleTests
{
    private static FieldMapping Script(string code, ScriptLimits? limits = null) =>
        MappingCompiler.Compile([new MappingField("Out", new JObject { ["script"] = code })],
            new MappingOptions { Scripts = limits ?? ScriptLimits.Default });

    private static JObject Record(int n = 1) => new() { ["n"] = n, ["name"] = "Ann" };

    [Fact]
    public void Apply_EndlessLoop_StopsAtTheStatementLimit()
    {
        var mapping = Script("while (true) { }", ScriptLimits.Default with { MaxStatements = 500 });

        var error = Assert.Throws<MappingException>(() => mapping.Apply(Record()));

        Assert.Equal("Out", error.Field);
        Assert.Equal("script: stopped after 500 statements, its limit.", error.Reason);
    }

    [Fact]
    public void Apply_EndlessRecursion_StopsAtTheRecursionLimit()
    {
        var mapping = Script("function down(n) { return down(n + 1); }\nreturn down(0);", ScriptLimits.Default with { MaxRecursion = 20 });

        var error = Assert.Throws<MappingException>(() => mapping.Apply(Record()));

        Assert.Equal("script: stopped at a call depth of 20, its recursion limit.", error.Reason);
    }

    [Fact]
    public void Apply_GreedyAllocation_StopsAtTheMemoryLimit()
    {
        // No statement limit, so that only memory can stop it.
        var mapping = Script("const hoard = [];\nwhile (true) hoard.push('x'.repeat(10000) + hoard.length);",
            ScriptLimits.Default with { MaxStatements = 0, MemoryBytes = 2 * 1024 * 1024, Timeout = TimeSpan.FromSeconds(30) });

        var error = Assert.Throws<MappingException>(() => mapping.Apply(Record()));

        Assert.Equal($"script: stopped after allocating more than {2 * 1024 * 1024} bytes, its memory limit.", error.Reason);
    }

    [Fact]
    public void Apply_SlowLoop_StopsAtTheTimeLimit()
    {
        // No statement limit and no allocation: only the clock can stop it. The limit is the sandbox's
        // guard against real CPU time, so this test spends those 50 ms for real.
        var mapping = Script("let i = 0;\nwhile (true) { i++; }", ScriptLimits.Default with { MaxStatements = 0, Timeout = TimeSpan.FromMilliseconds(50) });

        var error = Assert.Throws<MappingException>(() => mapping.Apply(Record()));

        Assert.Equal("script: stopped after 50 ms, its time limit.", error.Reason);
    }

    [Fact]
    public void Apply_AfterALimitWasHit_TheNextRecordMapsNormally()
    {
        var mapping = Script("if (record.n === 1) { while (true) { } }\nreturn record.n * 10;", ScriptLimits.Default with { MaxStatements = 200 });

        Assert.Throws<MappingException>(() => mapping.Apply(Record(1)));
        var payload = mapping.Apply(Record(2));

        Assert.Equal(20, (int)payload["Out"]!);
    }

    [Fact]
    public void Apply_ScriptLooksForDotNet_FindsNothing()
    {
        var mapping = Script("[typeof System, typeof importNamespace, typeof clrHelper, typeof require].join(',')");

        var payload = mapping.Apply(Record());

        Assert.Equal("undefined,undefined,undefined,undefined", (string?)payload["Out"]);
    }

    [Fact]
    public void Apply_ScriptTriesToKeepStateInGlobals_FailsInsteadOfLeakingIntoTheNextRecord()
    {
        var mapping = Script("globalThis.seen = (globalThis.seen || 0) + 1;\nreturn globalThis.seen;");

        var first = Assert.Throws<MappingException>(() => mapping.Apply(Record(1)));
        var second = Assert.Throws<MappingException>(() => mapping.Apply(Record(2)));

        Assert.StartsWith("script threw", first.Reason, StringComparison.Ordinal);
        Assert.Equal(first.Reason, second.Reason);
    }

    [Fact]
    public void Apply_ScriptTriesToPatchAPrototype_Fails()
    {
        var mapping = Script("Array.prototype.total = function () { return 1; };\nreturn 1;");

        var error = Assert.Throws<MappingException>(() => mapping.Apply(Record()));

        Assert.StartsWith("script threw", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_FromManyThreadsAtOnce_EachRecordGetsItsOwnResult()
    {
        var mapping = Script("let s = 0;\nfor (let i = 1; i <= record.n; i++) s += i;\nreturn s;");

        var results = await Task.WhenAll(Enumerable.Range(1, 200).Select(n => Task.Run(() => (n, (long)mapping.Apply(Record(n))["Out"]!))));

        Assert.All(results, r => Assert.Equal((long)r.n * (r.n + 1) / 2, r.Item2));
    }
}

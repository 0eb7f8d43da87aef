using System.Collections.Concurrent;
using System.Globalization;
using Acornima.Ast;
using Connectors.Core.Mapping.Expressions;
using Jint;
using Jint.Native;
using Jint.Runtime;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using JsJsonParser = Jint.Native.Json.JsonParser;
using JsJsonSerializer = Jint.Native.Json.JsonSerializer;

namespace Connectors.Core.Mapping.Rules;

/// <summary>
/// <c>script: …</c>: the escape hatch for what the expression grammar cannot say, run in Jint, a
/// JavaScript interpreter with no access to .NET, files or the network, under time, memory, statement
/// and recursion limits. The script sees <c>record</c>, <c>item</c> (the current <c>each</c> item, else the
/// record) and <c>value</c> (its <c>value</c> rule's result) as plain JSON, and is either an expression or a
/// function body that <c>return</c>s. It is parsed once; engines are pooled, one per concurrent caller,
/// because a Jint engine is not thread-safe and building one per record would cost more than the mapping.
/// </summary>
internal sealed class ScriptRule : Expr
{
    // The user's code starts on the wrapper's second line; messages subtract it.
    private const string Parameters = "(function (record, item, value) {";

    private readonly Prepared<Script> _program;
    private readonly Options _options;
    private readonly ScriptLimits _limits;
    private readonly Expr? _value;
    private readonly ConcurrentBag<Sandbox> _idle = [];

    private ScriptRule(Prepared<Script> program, ScriptLimits limits, Expr? value)
    {
        _program = program;
        _limits = limits;
        _value = value;
        _options = new Options { Culture = CultureInfo.InvariantCulture, TimeZone = TimeZoneInfo.Utc };
        _options.Interop.Enabled = false;
        _options.Strict()
            .TimeoutInterval(limits.Timeout)
            .LimitMemory(limits.MemoryBytes)
            .MaxStatements(limits.MaxStatements)
            .LimitRecursion(limits.MaxRecursion);
    }

    /// <inheritdoc />
    public override Shape Infer(ShapeScope scope)
    {
        _value?.Infer(scope);
        return Shape.Unknown;
    }

    /// <summary>Parses a script once; a syntax error is a compile failure with the script's own line and column.</summary>
    public static ScriptRule Compile(string code, ScriptLimits limits, Expr? value)
    {
        if (string.IsNullOrWhiteSpace(code)) throw new RuleFailure("script: the script is empty.");
        try
        {
            return new ScriptRule(Engine.PrepareScript($"{Parameters}\nreturn (\n{code}\n);\n}})", strict: true), limits, value);
        }
        catch (ScriptPreparationException)
        {
            // Not a single expression: read it as a function body, and report errors as a body sees them.
        }
        try
        {
            return new ScriptRule(Engine.PrepareScript($"{Parameters}\n{code}\n}})", strict: true), limits, value);
        }
        catch (ScriptPreparationException e) when (e.InnerException is Acornima.ParseErrorException syntax)
        {
            throw new RuleFailure($"script: line {Math.Max(1, syntax.LineNumber - 1)}, column {syntax.Column + 1}: {syntax.Error?.Description ?? syntax.Message}");
        }
    }

    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope)
    {
        var value = _value?.Evaluate(scope);
        var sandbox = Rent();
        var reusable = false;
        try
        {
            var engine = sandbox.Engine;
            var record = ToJs(engine, scope.Root);
            var item = ReferenceEquals(scope.Current, scope.Root) ? record : ToJs(engine, scope.Current);
            var result = engine.Invoke(sandbox.Function, JsValue.Undefined, [record, item, value is null ? JsValue.Undefined : ToJs(engine, value)]);
            reusable = true;
            return FromJs(engine, result);
        }
        catch (JavaScriptException e)
        {
            // The script threw; the engine itself is fine.
            reusable = true;
            var line = e.Location.Start.Line > 1 ? $" (line {e.Location.Start.Line - 1})" : "";
            throw new RuleFailure($"script threw{line}: {e.Message}");
        }
        catch (StatementsCountOverflowException)
        {
            throw new RuleFailure($"script: stopped after {_limits.MaxStatements} statements, its limit.");
        }
        catch (TimeoutException)
        {
            throw new RuleFailure($"script: stopped after {_limits.Timeout.TotalMilliseconds:0} ms, its time limit.");
        }
        catch (MemoryLimitExceededException)
        {
            throw new RuleFailure($"script: stopped after allocating more than {_limits.MemoryBytes} bytes, its memory limit.");
        }
        catch (RecursionDepthOverflowException)
        {
            throw new RuleFailure($"script: stopped at a call depth of {_limits.MaxRecursion}, its recursion limit.");
        }
        catch (JintException e)
        {
            throw new RuleFailure($"script failed: {e.Message}");
        }
        finally
        {
            // An engine interrupted by a limit may hold half-built state: it is dropped, not reused.
            if (reusable) _idle.Add(sandbox);
        }
    }

    /// <inheritdoc />
    public override void CollectLookups(in Scope scope, LookupIdSet ids) => _value?.CollectLookups(scope, ids);

    private Sandbox Rent()
    {
        if (_idle.TryTake(out var sandbox)) return sandbox;
        var engine = new Engine(_options);
        FreezeIntrinsics(engine);
        return new Sandbox(engine, engine.Evaluate(_program));
    }

    /// <summary>
    /// Pooled engines serve many records, so a script must not leave anything behind for the next one:
    /// with the global object and every intrinsic and its prototype frozen, an assignment to them throws
    /// (strict mode) instead of carrying state from one record to another. Done from the host, one
    /// native call at a time, so that this set-up never counts against the script's own limits.
    /// </summary>
    private static void FreezeIntrinsics(Engine engine)
    {
        var freeze = engine.Intrinsics.Object.Get("freeze");
        var global = engine.Global;
        foreach (var key in global.GetOwnPropertyKeys())
        {
            if (global.Get(key) is not Jint.Native.Object.ObjectInstance intrinsic) continue;
            engine.Invoke(freeze, JsValue.Undefined, [intrinsic]);
            if (intrinsic.Get("prototype") is Jint.Native.Object.ObjectInstance prototype)
            {
                engine.Invoke(freeze, JsValue.Undefined, [prototype]);
            }
        }
        engine.Invoke(freeze, JsValue.Undefined, [global]);
    }

    private static JsValue ToJs(Engine engine, JToken value) =>
        new JsJsonParser(engine).Parse(value.ToString(Formatting.None));

    private static JToken? FromJs(Engine engine, JsValue result)
    {
        if (result.IsUndefined() || result.IsNull()) return null;
        var json = new JsJsonSerializer(engine).Serialize(result);
        if (json.IsUndefined()) return null;
        using var reader = new JsonTextReader(new StringReader(json.AsString())) { DateParseHandling = DateParseHandling.None };
        return Values.Normalize(JToken.ReadFrom(reader));
    }

    /// <summary>One pooled engine and the script's function as that engine knows it.</summary>
    private sealed record Sandbox(Engine Engine, JsValue Function);
}

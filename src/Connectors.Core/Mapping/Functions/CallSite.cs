using System.Globalization;
using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Functions;

/// <summary>
/// A function call as written in a rule, handed to the function's binder at compile time: the binder
/// reads constant arguments here once (formats, time zones, regions) so that nothing is looked up per record.
/// </summary>
internal sealed class CallSite(string name, Expr[] args, Func<string, RuleFailure> fail)
{
    /// <summary>The function's name.</summary>
    public string Name => name;

    /// <summary>The arguments after the input, as compiled expressions.</summary>
    public IReadOnlyList<Expr> Args => args;

    /// <summary>How many arguments were given after the input.</summary>
    public int Count => args.Length;

    /// <summary>A compile error about this call, with its position in the rule.</summary>
    public RuleFailure Error(string message) => fail($"{name}: {message}");

    /// <summary>The constant text of argument <paramref name="index"/> (0 = first after the input), or <paramref name="fallback"/> when it was not given.</summary>
    public string Text(int index, string what, string fallback) => index < args.Length ? Text(index, what) : fallback;

    /// <summary>The constant text of argument <paramref name="index"/>; a compile error unless it is a quoted constant.</summary>
    public string Text(int index, string what)
    {
        if (index >= args.Length) throw Error($"the {what} is missing.");
        if (args[index] is ConstantExpr { Value: { } value } && Values.IsText(value)) return Values.ScalarText(value);
        throw Error($"the {what} (argument {index + 1}) must be a quoted constant, for example '{what}'.");
    }

    /// <summary>The constant integer of argument <paramref name="index"/>, or <paramref name="fallback"/> when it was not given.</summary>
    public int Integer(int index, string what, int fallback, int min, int max)
    {
        if (index >= args.Length) return fallback;
        if (args[index] is ConstantExpr { Value: { } value } && Values.TryNumber(value, out var number)
            && number == decimal.Truncate(number) && number >= min && number <= max)
        {
            return (int)number;
        }
        throw Error($"the {what} (argument {index + 1}) must be a whole number from {min} to {max}.");
    }

    /// <summary>The culture named by argument <paramref name="index"/>: <c>invariant</c> (the default) or a name like <c>de-DE</c>.</summary>
    public CultureInfo Culture(int index)
    {
        var text = Text(index, "culture", "invariant");
        if (text.Equals("invariant", StringComparison.OrdinalIgnoreCase)) return CultureInfo.InvariantCulture;
        try
        {
            return CultureInfo.GetCultureInfo(text, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            throw Error($"'{text}' is not a known culture; write a name like 'de-DE' or 'invariant'.");
        }
    }

    /// <summary>The value of argument <paramref name="index"/> for this record: evaluated when it is an expression.</summary>
    public JToken? Evaluate(int index, in Scope scope) => args[index].Evaluate(scope);
}

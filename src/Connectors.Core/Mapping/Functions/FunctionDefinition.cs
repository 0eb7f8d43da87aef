using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Functions;

/// <summary>One function of the library: its name, how many arguments it takes besides its input, and how it binds them.</summary>
/// <param name="Name">The name rules call it by.</param>
/// <param name="MinArgs">The fewest arguments it takes, not counting its input.</param>
/// <param name="MaxArgs">The most arguments it takes, not counting its input.</param>
/// <param name="Usage">How it is written, for messages: <c>date(format, zone)</c>.</param>
/// <param name="Bind">Checks the arguments at compile time and returns the function to run per record.</param>
internal sealed record FunctionDefinition(string Name, int MinArgs, int MaxArgs, string Usage, Func<CallSite, FunctionBody> Bind)
{
    /// <summary>A function without arguments from text to text; no value stays no value, anything but text fails.</summary>
    public static FunctionDefinition OnText(string name, Func<string, string> change) =>
        new(name, 0, 0, name, _ => (JToken? input, in Scope _) =>
            input is null ? null : new JValue(change(Values.Text(input, name))));
}

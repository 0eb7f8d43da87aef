using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Functions;

/// <summary>A function bound to its arguments: computes its value from its input (and, for non-constant arguments, the scope).</summary>
/// <param name="input">The value the function is applied to; <see langword="null"/> for no value.</param>
/// <param name="scope">The record being mapped, for arguments that are expressions themselves.</param>
internal delegate JToken? FunctionBody(JToken? input, in Scope scope);

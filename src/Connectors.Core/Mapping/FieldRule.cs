using Connectors.Core.Configuration;
using Connectors.Core.Mapping.Expressions;

namespace Connectors.Core.Mapping;

/// <summary>One compiled top-level field: its name, where it was written, and its rule.</summary>
/// <param name="Target">The target field's name.</param>
/// <param name="Location">Where its rule was written, when known.</param>
/// <param name="Rule">The compiled rule.</param>
internal sealed record FieldRule(string Target, SourceLocation? Location, Expr Rule);

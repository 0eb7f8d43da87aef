using Connectors.Core.Mapping.Functions;

namespace Connectors.Core.Tests.Mapping;

public sealed class FunctionTypesTests
{
    [Fact]
    public void EveryFunctionOfTheLibrary_IsTypedForStaticChecks() =>
        Assert.Equal(FunctionLibrary.Names.Order(StringComparer.Ordinal), FunctionTypes.Typed.Order(StringComparer.Ordinal));
}

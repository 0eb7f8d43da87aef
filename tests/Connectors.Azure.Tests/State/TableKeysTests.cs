using Connectors.Azure.State;

namespace Connectors.Azure.Tests.State;

public sealed class TableKeysTests
{
    [Fact]
    public void Of_OnePartNeedingNoEscape_IsThatVeryString()
    {
        var id = "evt-" + Guid.NewGuid().ToString("N");

        Assert.Same(id, TableKeys.Of("", id));
    }

    [Theory]
    [InlineData("", new[] { "shop.myshopify.com/evt-1" }, "shop.myshopify.com%002Fevt-1")]
    [InlineData("link|", new[] { "crm", "a|b", "50%#?\\~" }, "link|crm|a%007Cb|50%0025%0023%003F%005C%007E")]
    [InlineData("p", new[] { "tab\there" }, "p" + "tab%0009here")]
    [InlineData("prefix", new string[0], "prefix")]
    public void Of_EscapesWhatTheServiceForbidsAndTheSeparators(string prefix, string[] parts, string expected) =>
        Assert.Equal(expected, TableKeys.Of(prefix, parts));

    [Fact]
    public void Of_TooLong_IsAHashThatNoNaturalKeyCanEqual()
    {
        var key = TableKeys.Of("x|", new string('/', 100));

        Assert.StartsWith("x|~", key);
        Assert.Equal(3 + 64, key.Length);
        Assert.Equal(key, TableKeys.Of("x|", new string('/', 100)));
    }
}

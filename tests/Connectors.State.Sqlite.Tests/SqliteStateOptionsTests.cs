using System.ComponentModel.DataAnnotations;

namespace Connectors.State.Sqlite.Tests;

public sealed class SqliteStateOptionsTests
{
    [Theory]
    [InlineData("", "DatabasePath")]
    [InlineData("   ", "DatabasePath")]
    [InlineData(":memory:", "DatabasePath")]
    [InlineData("file:state.db?mode=memory", "DatabasePath")]
    public void Store_WithABadDatabasePath_IsRefusedNamingTheSetting(string path, string setting)
    {
        var refused = Assert.Throws<ValidationException>(() => new SqliteSyncStateStore(new SqliteStateOptions { DatabasePath = path }));

        Assert.Contains(setting, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3600)]
    public void Store_WithABusyTimeoutOutOfRange_IsRefusedNamingTheSetting(double seconds)
    {
        var options = new SqliteStateOptions { DatabasePath = "state.db", BusyTimeout = TimeSpan.FromSeconds(seconds) };

        var refused = Assert.Throws<ValidationException>(() => new SqliteSyncStateStore(options));

        Assert.Contains("BusyTimeout", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_WithARelativePath_ResolvesItOnceAgainstTheCurrentDirectory()
    {
        using var store = new SqliteSyncStateStore(new SqliteStateOptions { DatabasePath = Path.Combine("state", "connectors.db") });

        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "state", "connectors.db"), store.DatabasePath);
    }
}

using Connectors.Cli.Commands;
using Spectre.Console;

namespace Connectors.Cli.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_RunsAgainstTheEmulators_ExitsZeroAndPrintsTheSummary()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 160;

        var exit = await DemoCommand.RunAsync(console, 600, TestContext.Current.CancellationToken);

        var text = output.ToString();
        Assert.Equal(0, exit);
        Assert.Matches(@"1 first load\s+│ completed │\s+600 │\s+599 │\s+0 │\s+0 │\s+1 │", text);
        Assert.Matches(@"2 after 3 edits\s+│ completed │\s+\d+ │\s+0 │\s+3 │", text);
        Assert.Matches(@"3 no changes\s+│ completed │\s+\d+ │\s+0 │\s+0 │", text);
        Assert.Contains("INVALID_DATA on First_Name", text, StringComparison.Ordinal);
        Assert.Contains("The CRM now holds 599 contacts.", text, StringComparison.Ordinal);
    }
}

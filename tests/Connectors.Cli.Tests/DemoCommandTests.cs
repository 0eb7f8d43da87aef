using System.Globalization;
using System.Text.RegularExpressions;
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
        Assert.Matches(@"4 products\s+│ completed │\s+40 │\s+40 │\s+0 │\s+0 │\s+0 │", text);
        // 300 orders; the few whose customer the CRM refused are dead-lettered with the lookup's reason.
        var orders = Regex.Match(text, @"5 orders\s+│ completed │\s+300 │\s+(?<created>\d+) │\s+0 │\s+0 │\s+(?<failed>\d+) │");
        Assert.True(orders.Success, "no completed orders run of 300");
        var failedOrders = int.Parse(orders.Groups["failed"].Value, CultureInfo.InvariantCulture);
        Assert.Equal(300, int.Parse(orders.Groups["created"].Value, CultureInfo.InvariantCulture) + failedOrders);
        Assert.Matches(@"6 order edit \+ cancel\s+│ completed │\s+\d+ │\s+0 │\s+2 │", text);
        // 60 customers answer and one stranger: 60 scores land on contacts, 60 cases, the stranger is kept in the dead letters.
        Assert.Matches(@"7 NPS → contacts\s+│ completed │\s+61 │\s+0 │\s+60 │\s+0 │\s+1 │", text);
        Assert.Matches(@"8 NPS → cases\s+│ completed │\s+61 │\s+60 │\s+0 │\s+0 │\s+1 │", text);
        Assert.Contains("NO_MATCH on Email: crm.Contacts has no record whose Email is", text, StringComparison.Ordinal);
        // The stranger's case has no contact to point its Related_To (a case's contact lookup) at.
        Assert.Contains("MAPPING_FAILED on Related_To.id: lookup: source id", text, StringComparison.Ordinal);
        Assert.Matches(@$"It holds {300 - failedOrders} sales orders \(1 cancelled\) with \d+ lines, 40 products and 60 cases; 60 contacts carry their latest NPS\.", text);
    }
}

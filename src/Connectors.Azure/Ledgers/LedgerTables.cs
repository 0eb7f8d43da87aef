using System.Text.RegularExpressions;

namespace Connectors.Azure.Ledgers;

/// <summary>What the ledgers' table names must look like (the service's rule).</summary>
internal static partial class LedgerTables
{
    public static void CheckName(string tableName)
    {
        if (tableName is null || !Name().IsMatch(tableName))
        {
            throw new ArgumentException("A table name is a letter followed by 2 to 62 letters and digits.", nameof(tableName));
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex Name();
}

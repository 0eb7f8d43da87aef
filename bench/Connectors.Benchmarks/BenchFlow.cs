using Connectors.Core.Flows;
using Connectors.Core.Mapping;

namespace Connectors.Benchmarks;

/// <summary>The flow both benchmark processes agree on: the shop's customers into CRM contacts, matched by e-mail.</summary>
internal static class BenchFlow
{
    public static Flow Flow { get; } = new("customers-to-crm", StreamRef.Parse("shop.customers"), StreamRef.Parse("crm.Contacts"),
        MappingCompiler.Compile(new Dictionary<string, string>
        {
            ["Email"] = "defaultEmailAddress.emailAddress | trim | lower",
            ["First_Name"] = "firstName | trim",
            ["Last_Name"] = "lastName | trim",
            ["Phone"] = "phone",
            ["Mailing_City"] = "defaultAddress.city",
            ["Mailing_Country"] = "defaultAddress.country",
        }),
        ["Email"]);
}

/// <summary>Writes the reconciliation's own progress lines (steps and their times) to the console.</summary>
internal sealed class ConsoleLog<T> : Microsoft.Extensions.Logging.ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel >= Microsoft.Extensions.Logging.LogLevel.Information;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel)) Console.WriteLine($"  {DateTime.Now:HH:mm:ss.f} {formatter(state, exception)}");
    }
}

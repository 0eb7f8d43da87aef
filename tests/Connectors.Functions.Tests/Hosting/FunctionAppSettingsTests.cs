using System.ComponentModel.DataAnnotations;
using Connectors.Functions.Hosting;

namespace Connectors.Functions.Tests.Hosting;

/// <summary>The app settings of the reconcile timer's folders: read from the environment, checked and created at start.</summary>
public sealed class FunctionAppSettingsTests
{
    private static Func<string, string?> Environment(Dictionary<string, string> values) => name => values.GetValueOrDefault(name);

    [Fact]
    public void ReconcileFolders_Unset_AreInTheTemporaryFolder_AndUnderAppServiceTheReportsGoUnderHomeData()
    {
        var home = Path.Combine(Path.GetTempPath(), "site-home");

        var standalone = FunctionAppSettings.FromEnvironment(Environment([]));
        var appService = FunctionAppSettings.FromEnvironment(Environment(new() { ["WEBSITE_SITE_NAME"] = "connectors-prod", ["HOME"] = home }));

        Assert.Equal((Path.Combine(Path.GetTempPath(), "connectors", "reconcile"), Path.Combine(Path.GetTempPath(), "connectors", "reports")),
            (standalone.ReconcileWorkFolder, standalone.ReconcileReportFolder));
        Assert.Equal((Path.Combine(Path.GetTempPath(), "connectors", "reconcile"), Path.Combine(home, "data", "connectors", "reports")),
            (appService.ReconcileWorkFolder, appService.ReconcileReportFolder));
    }

    [Fact]
    public void ReconcileFolders_Set_AreTaken()
    {
        var work = Path.Combine(Path.GetTempPath(), "work-here");
        var reports = Path.Combine(Path.GetTempPath(), "reports-here");

        var settings = FunctionAppSettings.FromEnvironment(Environment(new()
        {
            ["ConnectorsReconcileWorkFolder"] = work, ["ConnectorsReconcileReportFolder"] = reports, ["WEBSITE_SITE_NAME"] = "x", ["HOME"] = "/home",
        }));

        Assert.Equal((work, reports), (settings.ReconcileWorkFolder, settings.ReconcileReportFolder));
    }

    [Fact]
    public void ReconcileReportFolder_Relative_FailsAtStartNamingTheSetting()
    {
        var error = Assert.Throws<ValidationException>(() => FunctionAppSettings.FromEnvironment(Environment(new() { ["ConnectorsReconcileReportFolder"] = "reports" })));

        Assert.Contains("ReconcileReportFolder (ConnectorsReconcileReportFolder) must be an absolute folder path; it is 'reports'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateFolders_ReportFolderThatCannotBeCreated_FailsNamingTheSetting()
    {
        var file = Path.GetTempFileName();
        try
        {
            var settings = new FunctionAppSettings { ReconcileWorkFolder = Path.Combine(Path.GetTempPath(), "connectors-work"), ReconcileReportFolder = Path.Combine(file, "reports") };

            var error = Assert.Throws<ValidationException>(settings.CreateFolders);

            Assert.StartsWith($"Function app settings: ConnectorsReconcileReportFolder '{Path.Combine(file, "reports")}' cannot be created:", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void WebhookDeliveryRetention_Unset_IsAWeek_AndSet_IsTaken()
    {
        var unset = FunctionAppSettings.FromEnvironment(Environment([]));
        var set = FunctionAppSettings.FromEnvironment(Environment(new() { ["ConnectorsWebhookDeliveryRetention"] = "2.12:00:00" }));

        Assert.Equal((TimeSpan.FromDays(7), TimeSpan.FromHours(60)), (unset.WebhookDeliveryRetention, set.WebhookDeliveryRetention));
    }

    [Fact]
    public void WebhookDeliveryRetention_NoLongerThanTheClaimTimeout_FailsAtStartNamingBothSettings()
    {
        var error = Assert.Throws<ValidationException>(() => FunctionAppSettings.FromEnvironment(Environment(new()
        {
            ["ConnectorsWebhookDeliveryRetention"] = "00:10:00", ["ConnectorsWebhookClaimTimeout"] = "00:10:00", ["ConnectorsWebhookMaxAge"] = "00:05:00",
        })));

        Assert.Contains("WebhookDeliveryRetention (ConnectorsWebhookDeliveryRetention) must be longer than WebhookClaimTimeout (ConnectorsWebhookClaimTimeout, 00:10:00); it is 00:10:00.",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WebhookDeliveryRetention_ShorterThanTheMaxAge_FailsAtStartNamingBothSettings()
    {
        var error = Assert.Throws<ValidationException>(() => FunctionAppSettings.FromEnvironment(Environment(new()
        {
            ["ConnectorsWebhookDeliveryRetention"] = "1.00:00:00", ["ConnectorsWebhookMaxAge"] = "2.00:00:00",
        })));

        Assert.Contains("WebhookDeliveryRetention (ConnectorsWebhookDeliveryRetention) must be at least WebhookMaxAge (ConnectorsWebhookMaxAge, 2.00:00:00); it is 1.00:00:00.",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WebhookDeliveryRetention_Malformed_FailsAtStartNamingTheSetting()
    {
        var error = Assert.Throws<ValidationException>(() => FunctionAppSettings.FromEnvironment(Environment(new() { ["ConnectorsWebhookDeliveryRetention"] = "a week" })));

        Assert.Equal("Function app settings: ConnectorsWebhookDeliveryRetention is not a valid TimeSpan.", error.Message);
    }
}

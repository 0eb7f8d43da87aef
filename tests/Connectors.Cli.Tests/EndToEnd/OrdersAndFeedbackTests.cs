using System.Globalization;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Connectors.Sandbox.Shopify;
using Newtonsoft.Json.Linq;

namespace Connectors.Cli.Tests.EndToEnd;

/// <summary>Orders and feedback through the sample configs: into Zoho (sales orders, cases, the contact's latest score) and into Business Central.</summary>
public sealed class OrdersAndFeedbackTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Orders_WithLineItems_LandInZohoWithOrderedItemsTheLinkedContactAndTheShopsTotal()
    {
        await using var picture = await CustomerPicture.StartAsync(Token);
        picture.Shop.Seed(30, seed: 1);
        picture.Shop.SeedProducts(12, seed: 1);
        var orders = picture.Shop.SeedOrders(60, seed: 1);
        await picture.SyncAsync("customers-to-crm");
        await picture.SyncAsync("products-to-crm");

        var report = await picture.SyncAsync("orders-to-crm");

        Assert.Equal(RunStatus.Completed, report.Status);
        Assert.Equal((60, 60, 0), (report.Read, report.Created, report.Failed));
        // 60 orders in one upsert call: a write is 100 records.
        Assert.Equal(1, picture.Crm.RequestLog.Count(r => r.Method == "POST" && r.Path == "/crm/v8/Sales_Orders/upsert"));
        Assert.Contains(orders, o => o.LineItems.Count > 10);
        Assert.Contains(orders, o => o.CustomerId is null);
        foreach (var order in orders)
        {
            var stored = picture.Crm.SalesOrders.FindBy("Shopify_Order_Id", order.Id.ToString(CultureInfo.InvariantCulture))!;
            Assert.Equal($"Shopify order {order.Name}", stored.Value<string>("Subject"));
            var rows = (JArray)stored["Ordered_Items"]!;
            Assert.Equal(order.LineItems.Select(l => (Product(picture, l), (decimal)l.Quantity, l.UnitPrice)),
                rows.Select(r => (r["Product_Name"]!.Value<string>("id"), r.Value<decimal>("Quantity"), r.Value<decimal>("List_Price"))));
            Assert.Equal(order.Total, stored.Value<decimal>("Grand_Total"));
            Assert.Equal("USD", stored.Value<string>("Currency"));
            if (order.CustomerId is { } customerId)
            {
                var email = picture.Shop.FindCustomer(customerId)!.Email!.ToLowerInvariant();
                Assert.Equal(picture.Crm.Contacts.FindByEmail(email)!.Value<string>("id"), stored["Contact_Name"]!.Value<string>("id"));
            }
            else
            {
                Assert.Null(stored["Contact_Name"]);
            }
            var expectedStatus = order.FulfillmentStatus switch { "FULFILLED" => "Delivered", "PARTIALLY_FULFILLED" => "Approved", _ => "Created" };
            Assert.Equal(expectedStatus, stored.Value<string>("Status"));
        }
    }

    [Fact]
    public async Task Order_WhoseCustomerIsNotLinkedYet_IsDeadLetteredWithTheReason_AndComesInWithItsNextChangeOnceTheCustomerIs()
    {
        await using var picture = await CustomerPicture.StartAsync(Token);
        var customer = picture.Shop.Seed(1, seed: 2)[0];
        var product = picture.Shop.SeedProducts(1, seed: 2)[0];
        var order = picture.Shop.AddOrder(o => { o.CustomerId = customer.Id; o.Email = customer.Email; o.LineItems = [Line(product, 2)]; });
        await picture.SyncAsync("products-to-crm");

        var early = await picture.SyncAsync("orders-to-crm");

        Assert.Equal((1, 0, 1), (early.Read, early.Created, early.Failed));
        Assert.Equal(0, picture.Crm.SalesOrders.Count);
        var letter = Assert.Single(await picture.CrmHost.State.GetDeadLettersAsync("orders-to-crm", Token));
        Assert.Equal(("MAPPING_FAILED", "Contact_Name.id"), (letter.Code, letter.Field));
        Assert.Contains($"source id '{customer.Id}' has no link in flow 'customers-to-crm' yet", letter.Message, StringComparison.Ordinal);

        await picture.SyncAsync("customers-to-crm");
        picture.Clock.Advance(TimeSpan.FromMinutes(1));
        picture.Shop.UpdateOrder(order.Id, o => o.Note = "Gift wrap, please.");
        var later = await picture.SyncAsync("orders-to-crm");

        Assert.Equal(1, later.Created);
        var stored = picture.Crm.SalesOrders.FindBy("Shopify_Order_Id", order.Id.ToString(CultureInfo.InvariantCulture))!;
        Assert.Equal(picture.Crm.Contacts.FindByEmail(customer.Email!)!.Value<string>("id"), stored["Contact_Name"]!.Value<string>("id"));
    }

    [Fact]
    public async Task OrderEditAndCancellation_FollowIntoZoho_TheEditReplacesTheLinesAndTheCancellationSetsTheStatus()
    {
        await using var picture = await CustomerPicture.StartAsync(Token);
        picture.Shop.Seed(20, seed: 3);
        picture.Shop.SeedProducts(8, seed: 3);
        var orders = picture.Shop.SeedOrders(30, seed: 3).Where(o => o.CustomerId is not null && o.FinancialStatus == "PAID").ToList();
        foreach (var flow in new[] { "customers-to-crm", "products-to-crm", "orders-to-crm" }) await picture.SyncAsync(flow);
        var edited = orders[0];
        var cancelled = orders[1];
        var cancelledBefore = picture.Crm.SalesOrders.FindBy("Shopify_Order_Id", cancelled.Id.ToString(CultureInfo.InvariantCulture))!;
        picture.Clock.Advance(TimeSpan.FromMinutes(10));
        picture.Crm.RequestLog.Clear();

        picture.Shop.UpdateOrder(edited.Id, o =>
        {
            o.LineItems[0].Quantity += 4;
            o.LineItems.RemoveAt(o.LineItems.Count - 1);
            o.LineItems.Add(Line(picture.Shop.Products[^1], 1));
        });
        picture.Shop.CancelOrder(cancelled.Id, "INVENTORY");
        var report = await picture.SyncAsync("orders-to-crm");

        Assert.Equal((0, 2, 0), (report.Created, report.Updated, report.Failed));
        var now = picture.Shop.FindOrder(edited.Id)!;
        var editedRows = (JArray)picture.Crm.SalesOrders.FindBy("Shopify_Order_Id", edited.Id.ToString(CultureInfo.InvariantCulture))!["Ordered_Items"]!;
        Assert.Equal(now.LineItems.Select(l => (Product(picture, l), (decimal)l.Quantity)),
            editedRows.Select(r => (r["Product_Name"]!.Value<string>("id"), r.Value<decimal>("Quantity"))));
        var cancelledAfter = picture.Crm.SalesOrders.FindBy("Shopify_Order_Id", cancelled.Id.ToString(CultureInfo.InvariantCulture))!;
        Assert.Equal(("Cancelled", "Refunded", "Items unavailable"),
            (cancelledAfter.Value<string>("Status"), cancelledAfter.Value<string>("Payment_Status"), cancelledAfter.Value<string>("Cancellation_Reason")));
        // A status-only change keeps every line as it was.
        Assert.Equal(cancelledBefore["Ordered_Items"]!.Select(r => r.Value<string>("id")), cancelledAfter["Ordered_Items"]!.Select(r => r.Value<string>("id")));
        // One single-record GET per changed order (the only read that returns lines), one update call for both.
        Assert.Equal(2, picture.Crm.RequestLog.Count(r => r.Method == "GET" && r.Path.StartsWith("/crm/v8/Sales_Orders/", StringComparison.Ordinal)));
        Assert.Equal(1, picture.Crm.RequestLog.Count(r => r.Method == "PUT"));
    }

    [Fact]
    public async Task Orders_IntoBusinessCentral_WithTheirLinesAndTheCustomerLookedUp_GuestOrdersDeadLettered()
    {
        await using var picture = await CustomerPicture.StartAsync(Token);
        picture.Shop.Seed(15, seed: 4);
        picture.Shop.SeedProducts(6, seed: 4);
        var orders = picture.Shop.SeedOrders(40, seed: 4);
        var guests = orders.Count(o => o.CustomerId is null);
        Assert.True(guests > 0);

        var customers = await picture.SyncErpAsync("customers-to-erp");
        var report = await picture.SyncErpAsync("orders-to-erp");

        Assert.Equal(15, customers.Created);
        Assert.Equal((40, 40 - guests, guests), (report.Read, report.Created, report.Failed));
        var bcCustomers = picture.Erp.Customers.ToDictionary(c => c.Value<string>("id")!, c => c.Value<string>("email")!);
        var salesOrders = picture.Erp.SalesOrders.ToDictionary(o => o.Value<string>("externalDocumentNumber")!);
        foreach (var order in orders.Where(o => o.CustomerId is not null))
        {
            var salesOrder = salesOrders[order.Name];
            Assert.Equal(picture.Shop.FindCustomer(order.CustomerId!.Value)!.Email!.ToLowerInvariant(), bcCustomers[salesOrder.Value<string>("customerId")!]);
            Assert.Equal(order.LineItems.Select(l => (l.Sku, (decimal)l.Quantity, l.UnitPrice)),
                salesOrder["salesOrderLines"]!.Select(l => (l.Value<string>("lineObjectNumber"), l.Value<decimal>("quantity"), l.Value<decimal>("unitPrice"))));
            Assert.Equal(order.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), salesOrder.Value<string>("orderDate"));
        }
        var letters = await picture.ErpHost.State.GetDeadLettersAsync("orders-to-erp", Token);
        Assert.Equal(guests, letters.Count);
        Assert.All(letters, l => Assert.Contains("customerNumber or a customerID must be provided", l.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Feedback_BecomesCasesOnTheRightContactWithTheScore_TheContactKeepsTheLatestScore_StrangersAreDeadLettered()
    {
        await using var picture = await CustomerPicture.StartAsync(Token);
        var customers = picture.Shop.Seed(12, seed: 5);
        await picture.SyncAsync("customers-to-crm");
        var respondents = customers.Take(8).Select(c => (string?)c.Email).Append("stranger@example.org").ToList();
        var responses = picture.Survey.Seed(respondents, seed: 5).ToList();
        picture.Clock.Advance(TimeSpan.FromMinutes(2));
        var second = picture.Survey.AddResponse(r => { r.Email = customers[0].Email; r.Score = 2; r.Comment = "My second order never arrived."; });
        responses.Add(second);

        picture.Crm.RequestLog.Clear();
        var scores = await picture.SyncAsync("feedback-to-contacts");
        var scoreCalls = picture.Crm.RequestLog.Entries.ToList();
        var cases = await picture.SyncAsync("feedback-to-cases");

        Assert.Equal((10, 9, 1), (scores.Read, scores.Updated, scores.Failed));
        // writes: update-only: the respondents are looked up by e-mail and their contacts updated by id; nothing is upserted or created.
        Assert.Contains(scoreCalls, r => r.Method == "POST" && r.Path == "/crm/v8/coql");
        Assert.Contains(scoreCalls, r => r.Method == "PUT" && r.Path == "/crm/v8/Contacts");
        Assert.DoesNotContain(scoreCalls, r => r.Method == "POST" && r.Path.StartsWith("/crm/v8/Contacts", StringComparison.Ordinal));
        Assert.Equal(0, scores.Created);
        Assert.Equal((10, 9, 1), (cases.Read, cases.Created, cases.Failed));
        Assert.Equal(12, picture.Crm.Contacts.Count);
        foreach (var response in responses.Where(r => r.Email != "stranger@example.org"))
        {
            var contact = picture.Crm.Contacts.FindByEmail(response.Email!)!;
            var stored = picture.Crm.Cases.FindBy("Feedback_Response_Id", response.Token)!;
            Assert.Equal(contact.Value<string>("id"), stored["Related_To"]!.Value<string>("id"));
            Assert.Equal(response.Score, stored.Value<int>("Feedback_Score"));
            Assert.Equal(response.Score >= 9 ? "Closed" : "New", stored.Value<string>("Status"));
            Assert.Equal(response.Score <= 6 ? "High" : response.Score <= 8 ? "Medium" : "Low", stored.Value<string>("Priority"));
            Assert.Equal(response.Comment ?? "No comment given.", stored.Value<string>("Description"));
            Assert.StartsWith($"NPS {response.Score} from ", stored.Value<string>("Subject"), StringComparison.Ordinal);
        }
        var twice = picture.Crm.Contacts.FindByEmail(customers[0].Email!)!;
        Assert.Equal((2, "My second order never arrived."), (twice.Value<int>("Latest_NPS"), twice.Value<string>("Latest_NPS_Comment")));
        Assert.Equal(second.SubmittedAt, DateTimeOffset.Parse(twice.Value<string>("Latest_NPS_At")!, CultureInfo.InvariantCulture));
        var once = picture.Crm.Contacts.FindByEmail(customers[3].Email!)!;
        Assert.Equal(responses[3].Score, once.Value<int>("Latest_NPS"));
        Assert.Null(picture.Crm.Contacts.FindByEmail(customers[10].Email!)!["Latest_NPS"]);
        var stranger = responses.Single(r => r.Email == "stranger@example.org").Token;
        var scoreLetter = Assert.Single(await picture.CrmHost.State.GetDeadLettersAsync("feedback-to-contacts", Token));
        Assert.Equal((stranger, "NO_MATCH", "Email"), (scoreLetter.Source.Id, scoreLetter.Code, scoreLetter.Field));
        Assert.Equal("crm.Contacts has no record whose Email is 'stranger@example.org'; the flow only updates (writes: update-only), so it was not created.",
            scoreLetter.Message);
        var caseLetter = Assert.Single(await picture.CrmHost.State.GetDeadLettersAsync("feedback-to-cases", Token));
        Assert.Equal((stranger, "MAPPING_FAILED", "Related_To.id"), (caseLetter.Source.Id, caseLetter.Code, caseLetter.Field));
    }

    [Fact]
    public async Task FeedbackPlan_UpdateOnly_ForeseesTheUpdatesOfTheContactsFound_AndTheStrangersNoMatch_WritingNothing()
    {
        await using var picture = await CustomerPicture.StartAsync(Token);
        var customers = picture.Shop.Seed(6, seed: 8);
        await picture.SyncAsync("customers-to-crm");
        var responses = picture.Survey.Seed([.. customers.Take(3).Select(c => (string?)c.Email), "stranger@example.org"], seed: 8).ToList();
        picture.Crm.RequestLog.Clear();

        var plan = await picture.PlanAsync("feedback-to-contacts");

        Assert.Equal((0, 3, 1), (plan.Creates, plan.Updates, plan.Invalid));
        foreach (var response in responses.Where(r => r.Email != "stranger@example.org"))
        {
            var update = Assert.IsType<PlannedRecord.Update>(Assert.Single(plan.Records, r => r.Source.Id == response.Token));
            Assert.Equal(picture.Crm.Contacts.FindByEmail(response.Email!)!.Value<string>("id"), update.TargetId);
            Assert.Contains(update.Changes, c => c.Field == "Latest_NPS" && c.After!.Value<int>() == response.Score);
        }
        var stranger = Assert.IsType<PlannedRecord.Invalid>(Assert.Single(plan.Records, r => r.Source.Id == responses[^1].Token));
        Assert.Equal(("NO_MATCH", "Email"), (stranger.Code, stranger.Field));
        Assert.DoesNotContain(picture.Crm.RequestLog.Entries, r => r.Method is "PUT" || r.Method == "POST" && r.Path != "/crm/v8/coql" && r.Path.StartsWith("/crm/", StringComparison.Ordinal));
        Assert.Empty(await picture.CrmHost.State.GetDeadLettersAsync("feedback-to-contacts", Token));
    }

    [Fact]
    public async Task Feedback_SecondRunWithNothingNew_WritesNothing()
    {
        await using var picture = await CustomerPicture.StartAsync(Token);
        var customers = picture.Shop.Seed(5, seed: 6);
        await picture.SyncAsync("customers-to-crm");
        picture.Survey.Seed([.. customers.Select(c => (string?)c.Email)], seed: 6);
        await picture.SyncAsync("feedback-to-contacts");
        await picture.SyncAsync("feedback-to-cases");
        picture.Crm.RequestLog.Clear();

        var scores = await picture.SyncAsync("feedback-to-contacts");
        var cases = await picture.SyncAsync("feedback-to-cases");

        Assert.Equal((0, 0), (scores.Created + scores.Updated, cases.Created + cases.Updated));
        Assert.DoesNotContain(picture.Crm.RequestLog.Entries, r => r.Method is "POST" or "PUT" && r.Path.StartsWith("/crm/", StringComparison.Ordinal));
    }

    private static string Product(CustomerPicture picture, SandboxLineItem line) =>
        picture.Crm.Products.FindBy("Shopify_Product_Id", line.ProductId!.Value.ToString(CultureInfo.InvariantCulture))!.Value<string>("id")!;

    private static SandboxLineItem Line(SandboxProduct product, int quantity) =>
        new() { ProductId = product.Id, Title = product.Title, Sku = product.Sku, Quantity = quantity, UnitPrice = product.Price };
}

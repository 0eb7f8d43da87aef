using System.Diagnostics;
using System.Globalization;
using Connectors.Core.Conflicts;
using Connectors.Core.State;
using Connectors.Core.Sync.TwoWay;
using CsCheck;
using Newtonsoft.Json.Linq;

namespace Connectors.TwoWay.Tests;

/// <summary>
/// Property tests: random interleavings of edits, creates and deletes on both emulators between runs. After
/// every run: no record is duplicated, none is lost (every live record has exactly one live counterpart unless
/// the user deleted that counterpart), a second run with no edits makes zero writes, and under <c>merge</c>
/// every edit is on both sides unless a same-field conflict was decided (by the field's owner, else by the newer
/// side) — the expected values come from a reference model of the rules, written apart from the engine.
/// One pair of emulators serves every case; each case empties them and runs under a flow name of its own.
/// </summary>
public sealed class TwoWayPropertyTests
{
    private static readonly string[] Names = ["Ann", "Ben", "Cy", "Dee"];
    private static readonly string[] Phones = ["+1 555 0101", "+1 555 0102", "+1 555 0103", ""];
    private static readonly string[] Cities = ["Pune", "Lagos", "Osaka", ""];
    private static readonly string[] Fields = ["displayName", "phoneNumber", "city"];
    private static readonly Dictionary<string, string> LeftName = new() { ["displayName"] = "Last_Name", ["phoneNumber"] = "Phone", ["city"] = "Mailing_City" };

    private static readonly Gen<Op> GenOp = Gen.Select(Gen.Int[0, 9], Gen.Bool, Gen.Int[0, 99], Gen.Int[0, 2], Gen.Int[0, 3],
        (kind, left, pick, field, value) => new Op(
            kind switch { <= 4 => OpKind.Edit, 5 or 6 => OpKind.Create, 7 => OpKind.Twin, _ => OpKind.Delete },
            left ? FlowSide.Left : FlowSide.Right, pick, field, value));

    /// <summary>Up to four steps of up to five user operations each; a run (and a second, idle run) follows every step.</summary>
    private static readonly Gen<Op[][]> GenSteps = GenOp.Array[0, 5].Array[1, 4];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public Task Merge_RandomInterleavings_KeepEveryEditNoDuplicateNoLossAndNoPingPong() => SampleAsync("policy: merge, owners: { phoneNumber: erp }", 400);

    [Fact]
    public Task Manual_RandomInterleavings_ParkRealConflictsAndOtherwiseAgree() => SampleAsync("policy: manual", 100);

    [Fact]
    public Task SourceWins_RandomInterleavings_EndInAgreement() => SampleAsync("policy: source-wins", 50);

    [Fact]
    public Task TargetWins_RandomInterleavings_EndInAgreement() => SampleAsync("policy: target-wins", 50);

    [Fact]
    public Task NewestWins_RandomInterleavings_EndInAgreement() => SampleAsync("policy: newest-wins, skew: 0s, fields: { city: source-wins }", 50);

    private static async Task SampleAsync(string conflicts, int cases)
    {
        await using var h = await TwoWayHarness.StartAsync();
        var ran = 0;
        var watch = Stopwatch.StartNew();
        await GenSteps.SampleAsync(async steps =>
        {
            var n = Interlocked.Increment(ref ran);
            await new Case(h, TwoWayHarness.Flow(conflicts, name: $"case-{n}"), conflicts.Contains("merge", StringComparison.Ordinal)).RunAsync(steps);
        }, iter: cases, threads: 1, print: Print);
        TestContext.Current.SendDiagnosticMessage($"{conflicts}: {ran} cases in {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.True(ran >= cases, $"only {ran} cases ran");
    }

    private static string Print(Op[][] steps) =>
        string.Join(" | ", steps.Select(ops => string.Join(", ", ops.Select(o => $"{o.Kind} {o.Side} #{o.Pick} {Fields[o.Field]}={o.Value}"))));

    private enum OpKind { Edit, Create, Twin, Delete }

    private sealed record Op(OpKind Kind, FlowSide Side, int Pick, int Field, int Value);

    /// <summary>What a side holds for one e-mail address, in the right side's terms.</summary>
    private sealed record Held(string Id, Dictionary<string, string?> Values, DateTimeOffset Modified);

    /// <summary>What the model knows of one e-mail address across runs.</summary>
    private sealed class Entry
    {
        /// <summary>The values both sides agreed on at the last run; <see langword="null"/> before they ever did.</summary>
        public Dictionary<string, string?>? Agreed { get; set; }

        /// <summary>One side deleted the record after it was paired: the survivor lives on alone.</summary>
        public bool Broken { get; set; }
    }

    private sealed class Case(TwoWayHarness h, TwoWayFlow flow, bool merge)
    {
        private readonly Dictionary<string, Entry> _model = new(StringComparer.Ordinal);
        private int _emails;

        public async Task RunAsync(Op[][] steps)
        {
            h.Reset();
            foreach (var ops in steps)
            {
                foreach (var op in ops)
                {
                    h.Advance(TimeSpan.FromSeconds(1));
                    Apply(op);
                }
                var (left, right) = Snapshot();
                var expected = Expect(left, right);
                var report = await h.RunAsync(flow);
                Assert.True(report.Status == RunStatus.Completed && report.Failed == 0, $"run ended {report.Status}: {report.Message}, failed {report.Failed}");
                await CheckAsync(expected);

                h.ClearLogs();
                var idle = await h.RunAsync(flow);
                Assert.True(h.Writes == 0 && idle.Writes == 0, $"a run with no edits wrote {h.Writes} time(s): {idle.Writes} by its report");
            }
        }

        private void Apply(Op op)
        {
            var live = Live(op.Side);
            switch (op.Kind)
            {
                case OpKind.Edit when live.Count > 0:
                    var (email, id) = live[op.Pick % live.Count];
                    var field = Fields[op.Field];
                    var value = field switch { "displayName" => Names[op.Value], "phoneNumber" => Phones[op.Value], _ => Cities[op.Value] };
                    if (op.Side == FlowSide.Left) h.Crm.Contacts.Edit(id, new JObject { [LeftName[field]] = value });
                    else h.Erp.Edit(id, c => c[field] = value);
                    break;
                case OpKind.Delete when live.Count > 0:
                    var (_, gone) = live[op.Pick % live.Count];
                    if (op.Side == FlowSide.Left) h.Crm.Contacts.Delete(gone); else h.Erp.Delete(gone);
                    break;
                case OpKind.Delete:
                    break;
                case OpKind.Twin:
                    var twin = NewEmail();
                    Create(FlowSide.Left, twin, op.Pick, op.Value);
                    Create(FlowSide.Right, twin, op.Pick / 3, op.Field + op.Value);
                    break;
                default:
                    Create(op.Side, NewEmail(), op.Pick, op.Value);
                    break;
            }
        }

        private string NewEmail() => $"p{++_emails}@example.com";

        private void Create(FlowSide side, string email, int pick, int value)
        {
            var (name, phone, city) = (Names[value % Names.Length], Phones[pick % Phones.Length], Cities[pick / 4 % Cities.Length]);
            if (side == FlowSide.Left) h.CrmInsert(email, name, phone, city);
            else h.ErpInsert(email, name, phone, city);
        }

        private List<(string Email, string Id)> Live(FlowSide side) => side == FlowSide.Left
            ? [.. h.Crm.Contacts.All().Select(c => ((string)c["Email"]!, (string)c["id"]!)).OrderBy(c => c.Item1, StringComparer.Ordinal)]
            : [.. h.Erp.Customers.Select(c => ((string)c["email"]!, (string)c["id"]!)).OrderBy(c => c.Item1, StringComparer.Ordinal)];

        private (Dictionary<string, Held> Left, Dictionary<string, Held> Right) Snapshot()
        {
            var left = new Dictionary<string, Held>(StringComparer.Ordinal);
            foreach (var contact in h.Crm.Contacts.All())
            {
                var email = (string)contact["Email"]!;
                Assert.False(left.ContainsKey(email), $"the CRM holds {email} twice");
                left[email] = new Held((string)contact["id"]!, Fields.ToDictionary(f => f, f => Value(contact[LeftName[f]])),
                    DateTimeOffset.Parse((string)contact["Modified_Time"]!, CultureInfo.InvariantCulture));
            }
            var right = new Dictionary<string, Held>(StringComparer.Ordinal);
            foreach (var customer in h.Erp.Customers)
            {
                var email = (string)customer["email"]!;
                Assert.False(right.ContainsKey(email), $"the ERP holds {email} twice");
                right[email] = new Held((string)customer["id"]!, Fields.ToDictionary(f => f, f => Value(customer[f])),
                    DateTimeOffset.Parse((string)customer["lastModifiedDateTime"]!, CultureInfo.InvariantCulture));
            }
            return (left, right);
        }

        /// <summary>
        /// The reference model: what each e-mail address must hold after the run, following the design's rules
        /// (one side changed: that side; both to the same value: it; both differently: the owner, else the newer
        /// record, the source on a tie), or <see langword="null"/> where only agreement can be asked.
        /// </summary>
        private Dictionary<string, Dictionary<string, string?>?> Expect(Dictionary<string, Held> left, Dictionary<string, Held> right)
        {
            var expected = new Dictionary<string, Dictionary<string, string?>?>(StringComparer.Ordinal);
            foreach (var email in left.Keys.Union(right.Keys))
            {
                var entry = _model.TryGetValue(email, out var known) ? known : _model[email] = new Entry();
                var (l, r) = (left.GetValueOrDefault(email), right.GetValueOrDefault(email));
                if (entry.Broken || (entry.Agreed is not null && (l is null || r is null)))
                {
                    entry.Broken = true;
                    continue;
                }
                if (l is null || r is null)
                {
                    var only = (l ?? r)!;
                    entry.Agreed = new Dictionary<string, string?>(only.Values);
                    expected[email] = entry.Agreed;
                    continue;
                }
                var agreed = new Dictionary<string, string?>();
                var basis = entry.Agreed ?? Fields.ToDictionary(f => f, _ => (string?)null);
                var leftNewer = l.Modified >= r.Modified;
                foreach (var field in Fields)
                {
                    var (b, lv, rv) = (basis[field], l.Values[field], r.Values[field]);
                    var (lc, rc) = (lv != b, rv != b);
                    agreed[field] = (lc, rc) switch
                    {
                        (false, false) => rv,
                        (true, false) => lv,
                        (false, true) => rv,
                        _ when lv == rv => rv,
                        _ when field == "phoneNumber" => rv,
                        _ => leftNewer ? lv : rv,
                    };
                }
                entry.Agreed = agreed;
                expected[email] = merge ? agreed : null;
            }
            return expected;
        }

        private async Task CheckAsync(Dictionary<string, Dictionary<string, string?>?> expected)
        {
            var (left, right) = Snapshot();
            var parked = (await h.State.GetConflictsAsync(flow.Name, Ct)).ToList();
            foreach (var (email, entry) in _model)
            {
                var (l, r) = (left.GetValueOrDefault(email), right.GetValueOrDefault(email));
                if (entry.Broken) continue;
                if (l is null && r is null) continue;
                Assert.True(l is not null && r is not null, $"{email} was lost: it lives only on the {(l is null ? "ERP" : "CRM")} side");
                Assert.NotNull(l);
                Assert.NotNull(r);
                if (expected.GetValueOrDefault(email) is { } values)
                {
                    foreach (var field in Fields)
                    {
                        Assert.True(values[field] == l.Values[field] && values[field] == r.Values[field],
                            $"{email}.{field}: expected '{values[field]}', the CRM holds '{l.Values[field]}', the ERP '{r.Values[field]}'");
                    }
                }
                else if (Fields.Any(f => l.Values[f] != r.Values[f]))
                {
                    // Only manual leaves the two sides apart, and then the pair waits in the queue.
                    Assert.True(parked.Any(c => c.LeftId == l.Id && c.RightId == r.Id),
                        $"{email} differs between the sides and is not waiting in the conflict queue");
                }
            }
        }

        private static string? Value(JToken? token) => FieldValues.IsEmpty(token) ? null : (string?)token;
    }
}

using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Connectors.Azure.State;
using Connectors.Core.Queue;

namespace Connectors.Azure.Lease;

/// <summary>
/// Flow leases in Azure Table Storage: one row per flow with its holder and expiry. Taking, renewing
/// and releasing are conditional on the row's ETag, so of two instances racing for a flow exactly one
/// wins, and a holder that lost its lease learns it on its next renewal.
/// </summary>
/// <remarks>
/// Expiry is judged by the clock of whoever reads the row, so the instances' clocks must agree to
/// well within a lease's duration (NTP-synchronised hosts do). Renew at a fraction of the duration.
/// </remarks>
public sealed class AzureFlowLease : IFlowLease
{
    private const string Partition = "lease";

    private readonly TableClient _table;
    private readonly AzureFlowLeaseOptions _options;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _creating = new(1, 1);
    private volatile bool _ready;

    /// <summary>Creates the lease store; the options are validated here, the table is created on first use.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">An option is out of range.</exception>
    public AzureFlowLease(AzureStorageAccount account, AzureFlowLeaseOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        options.Validate();
        _options = options;
        _clock = clock;
        _table = account.CreateTableClient(options.TableName);
        _ready = !options.CreateIfMissing;
    }

    /// <inheritdoc />
    public async Task<FlowLeaseAttempt> TryAcquireAsync(string flow, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var row = TableKeys.Of("", flow);
        var now = _clock.GetUtcNow();
        var entity = Entity(flow, row, now + duration);

        var current = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            if (!current.HasValue)
            {
                var added = await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                return Acquired(flow, now + duration, added.Headers.ETag);
            }
            var held = current.Value!;
            var until = ReadExpiry(held);
            if (until > now)
            {
                return new FlowLeaseAttempt.Busy(held.GetString("Holder") ?? "", until);
            }
            var taken = await _table.UpdateEntityAsync(entity, held.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return Acquired(flow, now + duration, taken.Headers.ETag);
        }
        catch (RequestFailedException e) when (IsLostRace(e))
        {
            // Someone else created or took the row between our read and our write.
            var winner = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
            return winner.HasValue
                ? new FlowLeaseAttempt.Busy(winner.Value!.GetString("Holder") ?? "", ReadExpiry(winner.Value!))
                : new FlowLeaseAttempt.Busy("", now);
        }
    }

    /// <inheritdoc />
    public async Task<FlowLeaseGrant?> RenewAsync(FlowLeaseGrant grant, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var until = _clock.GetUtcNow() + duration;
        try
        {
            // An unchanged ETag proves nobody took the lease since, even if it ran out meanwhile.
            var renewed = await _table.UpdateEntityAsync(Entity(grant.Flow, TableKeys.Of("", grant.Flow), until), new ETag(grant.Token), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return grant with { ExpiresAt = until, Token = renewed.Headers.ETag?.ToString() ?? "" };
        }
        catch (RequestFailedException e) when (IsLostRace(e))
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(FlowLeaseGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        try
        {
            await _table.DeleteEntityAsync(Partition, TableKeys.Of("", grant.Flow), new ETag(grant.Token), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (IsLostRace(e))
        {
            // The lease was already someone else's: nothing of ours to give up.
        }
    }

    /// <summary>Deletes the lease table (tests and teardown).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        await _table.DeleteAsync(cancellationToken).ConfigureAwait(false);
        _ready = !_options.CreateIfMissing;
    }

    private FlowLeaseAttempt Acquired(string flow, DateTimeOffset until, ETag? etag) =>
        new FlowLeaseAttempt.Acquired(new FlowLeaseGrant(flow, _options.Holder, until, etag?.ToString() ?? ""));

    private TableEntity Entity(string flow, string row, DateTimeOffset until) => new(Partition, row)
    {
        ["Flow"] = flow,
        ["Holder"] = _options.Holder,
        ["ExpiresAt"] = until.ToString("o", CultureInfo.InvariantCulture),
    };

    private static DateTimeOffset ReadExpiry(TableEntity entity) =>
        DateTimeOffset.ParseExact(entity.GetString("ExpiresAt"), "o", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    // 409: the row was created first by someone else; 412: it changed since we read it; 404: it was deleted.
    private static bool IsLostRace(RequestFailedException e) =>
        e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound;

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_ready) return;
        await _creating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready) return;
            await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            _ready = true;
        }
        finally
        {
            _creating.Release();
        }
    }
}

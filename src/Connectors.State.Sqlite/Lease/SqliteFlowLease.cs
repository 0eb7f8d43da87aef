using Connectors.Core.Queue;

namespace Connectors.State.Sqlite.Lease;

/// <summary>
/// Flow leases in a SQLite file, for standalone processes that share one machine: one row per flow
/// with its holder, expiry and a token that changes with every grant, so that a renewal or release
/// with an outdated token does nothing.
/// </summary>
public sealed class SqliteFlowLease : IFlowLease
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS flow_leases (
            flow        TEXT NOT NULL PRIMARY KEY,
            holder      TEXT NOT NULL,
            expires_utc INTEGER NOT NULL,
            token       TEXT NOT NULL
        ) WITHOUT ROWID;
        """;

    private readonly SqliteFile _file;
    private readonly TimeProvider _clock;
    private readonly string _holder;

    /// <summary>Creates the lease store on <paramref name="databasePath"/>; <paramref name="holder"/> names this process to others.</summary>
    public SqliteFlowLease(string databasePath, string holder, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentNullException.ThrowIfNull(clock);
        _file = new SqliteFile(databasePath, TimeSpan.FromSeconds(30), Schema);
        _holder = holder;
        _clock = clock;
    }

    /// <inheritdoc />
    public async Task<FlowLeaseAttempt> TryAcquireAsync(string flow, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var now = _clock.GetUtcNow();
        var token = Guid.NewGuid().ToString("N");
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // One statement: the row is taken only if it is missing or has run out.
        command.CommandText = """
            INSERT INTO flow_leases (flow, holder, expires_utc, token) VALUES ($flow, $holder, $until, $token)
            ON CONFLICT (flow) DO UPDATE SET holder = excluded.holder, expires_utc = excluded.expires_utc, token = excluded.token
            WHERE flow_leases.expires_utc <= $now
            RETURNING token;
            """;
        command.Parameters.AddWithValue("$flow", flow);
        command.Parameters.AddWithValue("$holder", _holder);
        command.Parameters.AddWithValue("$until", (now + duration).UtcTicks);
        command.Parameters.AddWithValue("$token", token);
        command.Parameters.AddWithValue("$now", now.UtcTicks);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string taken && taken == token)
        {
            return new FlowLeaseAttempt.Acquired(new FlowLeaseGrant(flow, _holder, now + duration, token));
        }
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT holder, expires_utc FROM flow_leases WHERE flow = $flow;";
        read.Parameters.AddWithValue("$flow", flow);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new FlowLeaseAttempt.Busy(reader.GetString(0), new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero))
            : new FlowLeaseAttempt.Busy("", now);
    }

    /// <inheritdoc />
    public async Task<FlowLeaseGrant?> RenewAsync(FlowLeaseGrant grant, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var until = _clock.GetUtcNow() + duration;
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE flow_leases SET expires_utc = $until WHERE flow = $flow AND token = $token;";
        command.Parameters.AddWithValue("$until", until.UtcTicks);
        command.Parameters.AddWithValue("$flow", grant.Flow);
        command.Parameters.AddWithValue("$token", grant.Token);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? grant with { ExpiresAt = until } : null;
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(FlowLeaseGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM flow_leases WHERE flow = $flow AND token = $token;";
        command.Parameters.AddWithValue("$flow", grant.Flow);
        command.Parameters.AddWithValue("$token", grant.Token);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

using Connectors.Core.Queue;
using Microsoft.Data.Sqlite;

namespace Connectors.State.Sqlite.Queue;

/// <summary>
/// The durable local work queue of the standalone binary: messages in a SQLite file, with the
/// semantics of an Azure Storage queue — a received message is hidden for its visibility timeout and
/// comes back unless completed, every delivery counts in its dequeue count and carries a fresh receipt,
/// and an outdated receipt can no longer settle the message. Several processes may share the file;
/// a receive takes its messages in one statement, so no two receivers get the same delivery.
/// </summary>
public sealed class SqliteWorkQueue : IWorkQueue
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS queue_messages (
            id            TEXT NOT NULL PRIMARY KEY,
            queue         TEXT NOT NULL,
            body          TEXT NOT NULL,
            dequeue_count INTEGER NOT NULL DEFAULT 0,
            inserted_at   INTEGER NOT NULL,
            visible_at    INTEGER NOT NULL,
            receipt       TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS queue_messages_by_visibility ON queue_messages (queue, visible_at);
        """;

    private readonly SqliteFile _file;
    private readonly TimeProvider _clock;

    /// <summary>Creates the queue on the file named by <paramref name="options"/>, which are validated here; the file is created on first use.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">A setting is invalid; the message names it.</exception>
    public SqliteWorkQueue(SqliteQueueOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        options.Validate();
        _file = new SqliteFile(options.DatabasePath, options.BusyTimeout, Schema);
        _clock = clock;
        Name = options.QueueName;
        PoisonQueueName = options.QueueName + "-poison";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string PoisonQueueName { get; }

    /// <summary>The full path of the queue's file.</summary>
    public string DatabasePath => _file.FullPath;

    /// <inheritdoc />
    public Task EnqueueAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return EnqueueAsync([request], cancellationToken);
    }

    /// <inheritdoc />
    public async Task EnqueueAsync(IReadOnlyCollection<SyncRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0) return;
        var bodies = requests.Select(r => r.ToJson()).ToArray();
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await InsertAsync(connection, transaction, Name, bodies, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(visibilityTimeout, TimeSpan.Zero);
        var now = _clock.GetUtcNow();
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // One statement picks and hides the messages: a second receiver, in this process or another,
        // waits for the file's write lock and then finds them hidden.
        command.CommandText = """
            UPDATE queue_messages
            SET visible_at = $until, dequeue_count = dequeue_count + 1, receipt = lower(hex(randomblob(16)))
            WHERE rowid IN (
                SELECT rowid FROM queue_messages WHERE queue = $queue AND visible_at <= $now
                ORDER BY visible_at, rowid LIMIT $max)
            RETURNING id, receipt, body, dequeue_count, inserted_at, visible_at;
            """;
        command.Parameters.AddWithValue("$until", (now + visibilityTimeout).UtcTicks);
        command.Parameters.AddWithValue("$queue", Name);
        command.Parameters.AddWithValue("$now", now.UtcTicks);
        command.Parameters.AddWithValue("$max", maxMessages);
        var messages = new List<ReceivedMessage>(maxMessages);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            messages.Add(Read(reader));
        }
        // RETURNING gives rows in no set order; hand them out oldest first, as they were picked.
        return messages.OrderBy(m => m.InsertedAt).ToArray();
    }

    /// <inheritdoc />
    public async Task<bool> CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await DeleteAsync(connection, null, message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<ReceivedMessage?> ReturnAsync(ReceivedMessage message, TimeSpan visibleAfter, CancellationToken cancellationToken) =>
        HideAsync(message, visibleAfter, cancellationToken);

    /// <inheritdoc />
    public Task<ReceivedMessage?> ExtendAsync(ReceivedMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
        HideAsync(message, visibilityTimeout, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> MoveToPoisonAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await InsertAsync(connection, transaction, PoisonQueueName, [message.Body], cancellationToken).ConfigureAwait(false);
        var deleted = await DeleteAsync(connection, transaction, message, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>How many messages the queue holds, hidden ones included (diagnostics and tests).</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM queue_messages WHERE queue = $queue;";
        command.Parameters.AddWithValue("$queue", Name);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<ReceivedMessage?> HideAsync(ReceivedMessage message, TimeSpan visibility, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(visibility, TimeSpan.Zero);
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE queue_messages SET visible_at = $until, receipt = lower(hex(randomblob(16)))
            WHERE id = $id AND receipt = $receipt AND queue = $queue
            RETURNING id, receipt, body, dequeue_count, inserted_at, visible_at;
            """;
        command.Parameters.AddWithValue("$until", (_clock.GetUtcNow() + visibility).UtcTicks);
        command.Parameters.AddWithValue("$id", message.Id);
        command.Parameters.AddWithValue("$receipt", message.Receipt);
        command.Parameters.AddWithValue("$queue", Name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private async Task<bool> DeleteAsync(SqliteConnection connection, SqliteTransaction? transaction, ReceivedMessage message, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM queue_messages WHERE id = $id AND receipt = $receipt AND queue = $queue;";
        command.Parameters.AddWithValue("$id", message.Id);
        command.Parameters.AddWithValue("$receipt", message.Receipt);
        command.Parameters.AddWithValue("$queue", Name);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, string queue, IReadOnlyList<string> bodies, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().UtcTicks;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO queue_messages (id, queue, body, inserted_at, visible_at) VALUES ($id, $queue, $body, $now, $now);";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        command.Parameters.AddWithValue("$queue", queue);
        var body = command.Parameters.Add("$body", SqliteType.Text);
        command.Parameters.AddWithValue("$now", now);
        foreach (var text in bodies)
        {
            id.Value = Guid.NewGuid().ToString("N");
            body.Value = text;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static ReceivedMessage Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetInt64(3),
        new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
        new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero));
}

using Dapper;
using Npgsql;

namespace Moderator.Core.Storage;

/// <summary>One running worker or Admin process, as recorded by its heartbeat.</summary>
public sealed record NodeInfo(string NodeId, string HostName, int ProcessId, string Role, string Version, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt);

/// <summary>Records that a node is alive, so administrators can see which processes are running.</summary>
public sealed class NodeRegistry(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task HeartbeatAsync(string nodeId, string role, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO worker_nodes (node_id, host_name, process_id, role, version, started_at, last_seen_at)
            VALUES (@nodeId, @host, @pid, @role, @version, @startedAt, @now)
            ON CONFLICT (node_id) DO UPDATE SET last_seen_at = excluded.last_seen_at
            """,
            new
            {
                nodeId,
                host = Environment.MachineName,
                pid = Environment.ProcessId,
                role,
                version = typeof(NodeRegistry).Assembly.GetName().Version?.ToString() ?? "0",
                startedAt,
                now = clock.GetUtcNow(),
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Copies the last check-in of every node in Quartz's cluster (qrtz_scheduler_state, ticks in UTC) into
    /// worker_nodes, adding nodes not seen before.
    /// </summary>
    public async Task SyncFromClusterAsync(string schedulerName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var states = await connection.QueryAsync<(string Instance, long Ticks)>(new CommandDefinition(
            "SELECT instance_name, last_checkin_time FROM qrtz_scheduler_state WHERE sched_name = @schedulerName",
            new { schedulerName }, cancellationToken: cancellationToken));
        foreach (var (instance, ticks) in states)
        {
            var seen = new DateTimeOffset(ticks, TimeSpan.Zero);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO worker_nodes (node_id, host_name, process_id, role, version, started_at, last_seen_at)
                VALUES (@instance, '', 0, 'worker', '', @seen, @seen)
                ON CONFLICT (node_id) DO UPDATE SET last_seen_at = greatest(worker_nodes.last_seen_at, excluded.last_seen_at)
                """,
                new { instance, seen }, cancellationToken: cancellationToken));
        }
    }

    public async Task<IReadOnlyList<NodeInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<NodeInfo>(new CommandDefinition(
            "SELECT node_id AS NodeId, host_name AS HostName, process_id AS ProcessId, role AS Role, version AS Version, started_at AS StartedAt, last_seen_at AS LastSeenAt FROM worker_nodes ORDER BY node_id",
            cancellationToken: cancellationToken));
        return [.. rows];
    }
}

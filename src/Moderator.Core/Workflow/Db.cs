using System.Data;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Npgsql;

namespace Moderator.Core.Workflow;

/// <summary>Small helpers shared by the workflow services: one transaction per call, JSON for jsonb columns.</summary>
internal static class Db
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    static Db()
    {
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new NullableDateTimeOffsetHandler());
    }

    /// <summary>Makes sure the Dapper type handlers are registered before the first query.</summary>
    public static void EnsureConfigured()
    {
        // The static constructor does the work.
    }

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static T? FromJson<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, Json);

    public static async Task<T> InTransactionAsync<T>(NpgsqlDataSource dataSource, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        EnsureConfigured();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var result = await work(connection, tx);
        await tx.CommitAsync(cancellationToken);
        return result;
    }

    public static async Task InTransactionAsync(NpgsqlDataSource dataSource, Func<NpgsqlConnection, NpgsqlTransaction, Task> work, CancellationToken cancellationToken)
    {
        await InTransactionAsync<bool>(dataSource, async (c, t) =>
        {
            await work(c, t);
            return true;
        }, cancellationToken);
    }

    public static CommandDefinition Cmd(string sql, object? parameters, NpgsqlTransaction? tx, CancellationToken cancellationToken) =>
        new(sql, parameters, tx, cancellationToken: cancellationToken);

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            DateTimeOffset dto => dto,
            _ => throw new InvalidCastException($"Cannot read {value.GetType().Name} as a timestamp."),
        };

        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.Value = value.ToUniversalTime();
        }
    }

    private sealed class NullableDateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset?>
    {
        public override DateTimeOffset? Parse(object value) => value switch
        {
            null or DBNull => null,
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            DateTimeOffset dto => dto,
            _ => throw new InvalidCastException($"Cannot read {value.GetType().Name} as a timestamp."),
        };

        public override void SetValue(IDbDataParameter parameter, DateTimeOffset? value)
        {
            parameter.Value = value is { } v ? v.ToUniversalTime() : DBNull.Value;
        }
    }
}

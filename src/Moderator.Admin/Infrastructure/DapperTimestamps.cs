using System.Data;
using Dapper;

namespace Moderator.Admin.Infrastructure;

/// <summary>Reads timestamptz columns as UTC DateTimeOffset in Admin's own queries (Npgsql hands Dapper a DateTime).</summary>
public static class DapperTimestamps
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        SqlMapper.AddTypeHandler(new Handler());
        SqlMapper.AddTypeHandler(new NullableHandler());
    }

    private static DateTimeOffset Parse(object value) => value switch
    {
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        DateTimeOffset dto => dto,
        _ => throw new InvalidCastException($"Cannot read {value.GetType().Name} as a timestamp."),
    };

    private sealed class Handler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override DateTimeOffset Parse(object value) => DapperTimestamps.Parse(value);

        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = value.ToUniversalTime();
    }

    private sealed class NullableHandler : SqlMapper.TypeHandler<DateTimeOffset?>
    {
        public override DateTimeOffset? Parse(object value) => value is null or DBNull ? null : DapperTimestamps.Parse(value);

        public override void SetValue(IDbDataParameter parameter, DateTimeOffset? value) => parameter.Value = value is { } v ? v.ToUniversalTime() : DBNull.Value;
    }
}

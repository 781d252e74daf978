using Moderator.Testing;

namespace Moderator.Admin.Tests.Support;

/// <summary>One fresh database with two seeded schools and one Admin over it, shared by a test class.</summary>
public class AdminFixture : IAsyncLifetime
{
    private readonly DatabaseFixture _database = new();
    private readonly bool _realPort;
    private readonly string? _tagA;
    private readonly string? _tagB;

    public AdminFixture()
        : this(realPort: false)
    {
    }

    protected AdminFixture(bool realPort, string? tagA = null, string? tagB = null)
    {
        _realPort = realPort;
        _tagA = tagA;
        _tagB = tagB;
    }

    public AdminFactory Admin { get; private set; } = null!;

    public World World { get; private set; } = null!;

    public Npgsql.NpgsqlDataSource DataSource => _database.DataSource;

    public string ConnectionString => _database.ConnectionString;

    /// <summary>Extra configuration for the app (e.g. single sign-on).</summary>
    protected virtual IReadOnlyDictionary<string, string>? Settings => null;

    public virtual async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        World = await World.SeedAsync(_database.DataSource, _tagA, _tagB);
        Admin = new AdminFactory(_database.ConnectionString, _realPort, Settings);
        if (_realPort)
        {
            Admin.StartServer();
        }
        else
        {
            _ = Admin.Server;
        }
    }

    public virtual async Task DisposeAsync()
    {
        await Admin.DisposeAsync();
        await _database.DisposeAsync();
    }
}

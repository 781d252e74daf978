using Moderator.Testing;

namespace Moderator.Admin.Tests.Support;

/// <summary>One fresh database with two seeded schools and one Admin over it, shared by a test class.</summary>
public class AdminFixture : IAsyncLifetime
{
    private readonly DatabaseFixture _database = new();
    private readonly bool _realPort;

    public AdminFixture()
        : this(realPort: false)
    {
    }

    protected AdminFixture(bool realPort)
    {
        _realPort = realPort;
    }

    public AdminFactory Admin { get; private set; } = null!;

    public World World { get; private set; } = null!;

    public Npgsql.NpgsqlDataSource DataSource => _database.DataSource;

    public virtual async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        World = await World.SeedAsync(_database.DataSource);
        Admin = new AdminFactory(_database.ConnectionString, _realPort);
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

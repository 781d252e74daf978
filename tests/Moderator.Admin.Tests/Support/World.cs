using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moderator.Admin.Security;
using Moderator.Core.Workflow;
using Npgsql;

namespace Moderator.Admin.Tests.Support;

/// <summary>Two demo schools in one database (each with its moderators, DSL, deputy, administrator and an active page).</summary>
public sealed class World
{
    public const string Password = "correct horse battery staple";

    private World(NpgsqlDataSource dataSource, DemoSchoolIds a, DemoSchoolIds b)
    {
        DataSource = dataSource;
        A = a;
        B = b;
    }

    public NpgsqlDataSource DataSource { get; }

    public DemoSchoolIds A { get; }

    public DemoSchoolIds B { get; }

    public static string PasswordHash { get; } = new StaffPasswords().Hash(Password);

    public static Organisation Organisation(NpgsqlDataSource dataSource) => new(dataSource, TimeProvider.System, NullLogger<Organisation>.Instance);

    public static StaffDirectory Staff(NpgsqlDataSource dataSource) => new(dataSource, TimeProvider.System, Options.Create(new SignInOptions()), NullLogger<StaffDirectory>.Instance);

    public static async Task<World> SeedAsync(NpgsqlDataSource dataSource)
    {
        var organisation = Organisation(dataSource);
        var staff = Staff(dataSource);
        var a = await DemoSchool.SeedAsync(organisation, staff, new DemoSchoolRequest(PasswordHash, "a" + Guid.NewGuid().ToString("N")[..6]));
        var b = await DemoSchool.SeedAsync(organisation, staff, new DemoSchoolRequest(PasswordHash, "b" + Guid.NewGuid().ToString("N")[..6]));
        return new World(dataSource, a, b);
    }
}

using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Moderator.Core.Security;
using Moderator.Core.Workflow;
using Moderator.Model.Detection;
using Moderator.Testing;
using Npgsql;

namespace Moderator.Core.Tests;

public sealed class PupilRosterTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IDisposable
{
    private static readonly string[] Pupils = ["Zephyrine Quillfeather", "Oluwaseun  ADEBAYO-Whitlock", "Siobhán O'Donnellan"];

    private readonly Services _services = new(database.DataSource);
    private readonly ServiceProvider _node = Node(database.ConnectionString);

    private SecretProtector Secrets => _node.GetRequiredService<SecretProtector>();

    private PupilRosters Rosters => new(database.DataSource, Secrets, _services.Clock, NullLogger<PupilRosters>.Instance);

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task Roster_names_are_never_stored_in_plain_text_in_any_table_or_the_audit_log()
    {
        var school = await _services.SeedSchoolAsync();

        var count = await Rosters.ReplaceAsync(school.SchoolId, [.. Pupils, "", "   ", "zephyrine   quillfeather"], Actor.Staff(school.AdministratorId));

        Assert.Equal(3, count);
        var everything = await EveryRowAsTextAsync();
        foreach (var pupil in Pupils)
        {
            var normalised = HashedPupilRoster.NormaliseName(pupil);
            foreach (var fragment in pupil.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append(normalised))
            {
                Assert.DoesNotContain(fragment.ToLowerInvariant(), everything, StringComparison.Ordinal);
            }
        }

        var audit = Assert.Single(await _services.Audit.ForEntityAsync("school", school.SchoolId.ToString()), e => e.Action == "roster.replaced");
        Assert.Contains("\"count\": 3", audit.After!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, await Rosters.CountAsync(school.SchoolId));
    }

    [Fact]
    public async Task Replacing_the_roster_replaces_it_as_a_whole()
    {
        var school = await _services.SeedSchoolAsync();
        await Rosters.ReplaceAsync(school.SchoolId, Pupils, Actor.Staff(school.AdministratorId));
        _services.Clock.Advance(TimeSpan.FromDays(30));

        await Rosters.ReplaceAsync(school.SchoolId, ["Tobiah Marchbanks"], Actor.Staff(school.AdministratorId));

        var roster = await Rosters.LoadAsync(school.SchoolId);
        Assert.NotNull(roster);
        Assert.True(roster.Contains(HashedPupilRoster.NormaliseName("Tobiah Marchbanks")));
        Assert.False(roster.Contains(HashedPupilRoster.NormaliseName(Pupils[0])));
        Assert.Equal(1, await Rosters.CountAsync(school.SchoolId));
        var summary = await Rosters.SummaryAsync(school.SchoolId);
        Assert.Equal(new RosterSummary(school.SchoolId, 1, _services.Clock.GetUtcNow(), school.AdministratorId), summary);
        var audits = (await _services.Audit.ForEntityAsync("school", school.SchoolId.ToString())).Where(e => e.Action == "roster.replaced").ToList();
        Assert.Equal(2, audits.Count);
        Assert.Contains("\"count\": 3", audits[1].Before!, StringComparison.OrdinalIgnoreCase);
        Assert.Null(await new AuditLog(database.DataSource).VerifyAsync());
    }

    [Fact]
    public async Task The_roster_key_is_random_per_school_and_stored_only_encrypted()
    {
        var first = await _services.SeedSchoolAsync();
        var second = await _services.SeedSchoolAsync();
        await Rosters.ReplaceAsync(first.SchoolId, Pupils, Actor.Staff(first.AdministratorId));
        await Rosters.ReplaceAsync(second.SchoolId, Pupils, Actor.Staff(second.AdministratorId));

        await using var connection = await database.DataSource.OpenConnectionAsync();
        var ciphertext = await connection.QuerySingleAsync<string>("SELECT key_ciphertext FROM pupil_roster_keys WHERE school_id = @id", new { id = first.SchoolId });
        var key = Convert.FromBase64String(Secrets.Unprotect(ciphertext));
        Assert.Equal(32, key.Length);
        var everything = await EveryRowAsTextAsync();
        Assert.DoesNotContain(Convert.ToBase64String(key), everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(key), everything, StringComparison.Ordinal);

        // The stored hashes are HMACs under that key, so without the decrypted key they cannot be checked against a guess.
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(HashedPupilRoster.NormaliseName(Pupils[0]))));
        var firstHashes = (await connection.QueryAsync<string>("SELECT hash FROM pupil_roster_hashes WHERE school_id = @id", new { id = first.SchoolId })).ToHashSet();
        var secondHashes = (await connection.QueryAsync<string>("SELECT hash FROM pupil_roster_hashes WHERE school_id = @id", new { id = second.SchoolId })).ToHashSet();
        Assert.Contains(expected, firstHashes);
        Assert.Empty(firstHashes.Intersect(secondHashes));
        var unkeyed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(HashedPupilRoster.NormaliseName(Pupils[0]))));
        Assert.DoesNotContain(unkeyed, firstHashes);
    }

    [Fact]
    public async Task Roster_of_another_school_cannot_be_replaced_by_its_administrator()
    {
        var school = await _services.SeedSchoolAsync();
        var other = await _services.SeedSchoolAsync();

        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => Rosters.ReplaceAsync(school.SchoolId, Pupils, Actor.Staff(other.AdministratorId)));
        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => Rosters.ReplaceAsync(school.SchoolId, Pupils, Actor.Staff(school.Moderator1Id)));

        Assert.Null(await Rosters.LoadAsync(school.SchoolId));
        Assert.Equal(0, await Rosters.CountAsync(school.SchoolId));
    }

    [Fact]
    public async Task Roster_with_more_than_the_maximum_names_is_refused_and_the_old_one_kept()
    {
        var school = await _services.SeedSchoolAsync();
        await Rosters.ReplaceAsync(school.SchoolId, Pupils, Actor.Staff(school.AdministratorId));

        var tooMany = Enumerable.Range(0, PupilRosters.MaxNames + 1).Select(i => $"Pupil Number{i}");
        await Assert.ThrowsAsync<WorkflowRuleException>(() => Rosters.ReplaceAsync(school.SchoolId, tooMany, Actor.Staff(school.AdministratorId)));

        Assert.Equal(3, await Rosters.CountAsync(school.SchoolId));
    }

    private static ServiceProvider Node(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddModeratorDataProtection();
        return services.BuildServiceProvider();
    }

    /// <summary>Every row of every table in the database as lower-case text, to search for what must not be there.</summary>
    private async Task<string> EveryRowAsTextAsync()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var tables = await connection.QueryAsync<string>("SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            foreach (var row in await connection.QueryAsync<string>($"SELECT t::text FROM {table} t"))
            {
                text.AppendLine(row.ToLowerInvariant());
            }
        }

        Assert.Contains("roster.replaced", text.ToString(), StringComparison.Ordinal);
        return text.ToString();
    }
}

using Moderator.Core;
using Moderator.Core.Workflow;
using Moderator.Testing;
using Npgsql;

namespace Moderator.Core.Tests;

public sealed class AuditLogTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private readonly Services _s = new(db.DataSource);

    [Fact]
    public async Task Changes_are_audited_with_actor_and_before_and_after()
    {
        var school = await _s.SeedSchoolAsync();
        await _s.Organisation.RemoveModeratorAsync(school.PageId, school.Moderator2Id, Actor.Staff(school.AdministratorId));

        var entries = await _s.Audit.ForEntityAsync("page", school.PageId.ToString());
        var removal = Assert.Single(entries, e => e.Action == "page.moderator_removed");
        Assert.Equal($"staff:{school.AdministratorId}", removal.Actor);
        Assert.Equal(school.AdministratorId, removal.ActorStaffId);
        Assert.Contains("\"Active\"", removal.Before!, StringComparison.Ordinal);
        Assert.Contains("NeedsModerators", removal.After!, StringComparison.Ordinal);
        Assert.Null(await _s.Audit.VerifyAsync());
    }

    [Fact]
    public async Task Database_refuses_update_and_delete_of_audit_entries()
    {
        await _s.SeedSchoolAsync();

        var update = await Assert.ThrowsAsync<PostgresException>(() => _s.ScalarAsync<object>("UPDATE audit_log SET action = 'x' WHERE seq = 1 RETURNING seq"));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => _s.ScalarAsync<object>("DELETE FROM audit_log WHERE seq = 1 RETURNING seq"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, update.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, delete.SqlState);
        Assert.Null(await _s.Audit.VerifyAsync());
    }

    [Fact]
    public async Task Concurrent_appends_keep_one_unbroken_chain()
    {
        var school = await _s.SeedSchoolAsync();
        var before = (await _s.Audit.PositionAsync()).Seq;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => _s.Organisation.ChangePollIntervalAsync(school.PageId, TimeSpan.FromMinutes(1 + i), Actor.System)));

        var after = await _s.Audit.PositionAsync();
        Assert.Equal(before + 20, after.Seq);
        Assert.Null(await _s.Audit.VerifyAsync());
    }
}

/// <summary>Tampering needs the trigger switched off, which changes the schema: a database of its own.</summary>
public sealed class AuditTamperingTests : IAsyncLifetime
{
    private readonly DatabaseFixture _db = new();
    private Services _s = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _s = new Services(_db.DataSource);
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task Altered_entry_is_reported_as_the_first_broken_link()
    {
        await _s.SeedSchoolAsync();
        Assert.Null(await _s.Audit.VerifyAsync());
        var total = (await _s.Audit.PositionAsync()).Seq;
        Assert.True(total > 10);

        await _s.ScalarAsync<object>(
            """
            ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
            UPDATE audit_log SET actor = 'staff:00000000-0000-0000-0000-000000000001' WHERE seq = 7;
            ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
            SELECT 1;
            """);

        var broken = await _s.Audit.VerifyAsync();
        Assert.NotNull(broken);
        Assert.Equal(7, broken.Seq);
    }

    [Fact]
    public async Task Rehashed_entry_breaks_the_next_link()
    {
        await _s.SeedSchoolAsync();

        await _s.ScalarAsync<object>(
            """
            ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
            UPDATE audit_log SET action = 'forged', hash = audit_entry_hash(prev_hash, seq, at, actor, 'forged', entity_type, entity_id, before, after) WHERE seq = 5;
            ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
            SELECT 1;
            """);

        var broken = await _s.Audit.VerifyAsync();
        Assert.Equal(6, broken?.Seq);
    }

    [Fact]
    public async Task Deleted_entry_is_detected()
    {
        await _s.SeedSchoolAsync();

        await _s.ScalarAsync<object>(
            """
            ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
            DELETE FROM audit_log WHERE seq = 3;
            ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
            SELECT 1;
            """);

        Assert.Equal(4, (await _s.Audit.VerifyAsync())?.Seq);
    }
}

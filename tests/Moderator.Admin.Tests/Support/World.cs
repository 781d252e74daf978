using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moderator.Admin.Security;
using Moderator.Core.Workflow;
using Moderator.Model;
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

    public static ModerationWorkflow Workflow(NpgsqlDataSource dataSource, TimeProvider? clock = null) => new(dataSource, clock ?? TimeProvider.System, NullLogger<ModerationWorkflow>.Instance);

    /// <summary>Records a polled comment with a made-up assessment, as the worker would; returns what it opened.</summary>
    public Task<RecordResult> CommentAsync(
        DemoSchoolIds school,
        string text,
        Verdict verdict,
        Category category = Category.Abuse,
        string? matched = null,
        string author = "author-1",
        string post = "post-1",
        IReadOnlyList<string>? tags = null,
        DateTimeOffset? at = null)
    {
        var start = matched is null ? -1 : text.IndexOf(matched, StringComparison.Ordinal);
        var spans = start < 0 ? Array.Empty<TextSpan>() : [new TextSpan(start, matched!.Length)];
        var score = verdict switch { Verdict.Allow => 0.1, Verdict.Review => 0.6, Verdict.Hide => 0.9, _ => 0.97 };
        var assessment = new ModelAssessment(
            verdict,
            new Dictionary<Category, double> { [category] = score },
            verdict == Verdict.Allow ? [] : [new Reason(category, score, "lexicon", $"{category.CodeName()} (policies {Basis(category)})", $"matches words the house rules list under {category.CodeName()}", spans)],
            tags ?? [],
            "test-model-1",
            false);
        var externalId = "c-" + Guid.NewGuid().ToString("N")[..12];
        var seenAt = at ?? DateTimeOffset.UtcNow;
        return Workflow(DataSource, at is null ? null : new FixedClock(seenAt)).RecordAsync(
            school.PageId,
            new IncomingComment(externalId, text, seenAt.AddMinutes(-2), author, "Parent " + author, post, null, $"https://www.facebook.com/{externalId}"),
            assessment);
    }

    /// <summary>Where each house rule comes from in the school's policies (house-rules.md).</summary>
    private static string Basis(Category category) => category switch
    {
        Category.Safeguarding => "001 A.2.2, A.2.3, A.5.5, A.5.6; 002 5.12",
        Category.Hate => "001 A.5.6; 002 5.8; 004 e",
        Category.PupilIdentification => "002 4.4, 4.5(f); 001 A.5.2, A.4.9",
        Category.Abuse => "002 4.5(h), 5.8; 004",
        Category.Offensive => "001 A.2.6, A.4.5",
        _ => "002 4.5(g)",
    };

    public static async Task<World> SeedAsync(NpgsqlDataSource dataSource, string? tagA = null, string? tagB = null)
    {
        var organisation = Organisation(dataSource);
        var staff = Staff(dataSource);
        var a = await DemoSchool.SeedAsync(organisation, staff, new DemoSchoolRequest(PasswordHash, tagA ?? "a" + Guid.NewGuid().ToString("N")[..6]));
        var b = await DemoSchool.SeedAsync(organisation, staff, new DemoSchoolRequest(PasswordHash, tagB ?? "b" + Guid.NewGuid().ToString("N")[..6]));
        return new World(dataSource, a, b);
    }
}

/// <summary>A clock stopped at one moment, for seeding data as if it happened then.</summary>
public sealed class FixedClock(DateTimeOffset at) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => at;
}

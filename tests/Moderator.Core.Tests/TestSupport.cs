using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Workflow;
using Moderator.Model;
using Npgsql;

namespace Moderator.Core.Tests;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset at) => _now = at;
}

/// <summary>The workflow services over one test database, sharing one manual clock.</summary>
public sealed class Services
{
    /// <summary>Wednesday 19 November 2025, 10:00 in London (GMT): school hours.</summary>
    public static readonly DateTimeOffset SchoolHours = new(2025, 11, 19, 10, 0, 0, TimeSpan.Zero);

    public Services(NpgsqlDataSource dataSource, DateTimeOffset? start = null)
    {
        DataSource = dataSource;
        Clock = new ManualClock(start ?? SchoolHours);
        Audit = new AuditLog(dataSource);
        Organisation = new Organisation(dataSource, Clock, NullLogger<Organisation>.Instance);
        Staff = new StaffDirectory(dataSource, Clock, Options.Create(SignIn), NullLogger<StaffDirectory>.Instance);
        Workflow = new ModerationWorkflow(dataSource, Clock, NullLogger<ModerationWorkflow>.Instance);
        Reviews = new Reviews(dataSource, Clock, Options.Create(Review), NullLogger<Reviews>.Instance);
        Escalations = new Escalations(dataSource, Clock, Options.Create(Retention), NullLogger<Escalations>.Instance);
    }

    public ReviewOptions Review { get; } = new();

    public EvidencePacks EvidencePacks => new(DataSource, Clock, Escalations, Audit);

    public Retention RetentionService => new(DataSource, Clock, Options.Create(Retention), NullLogger<Retention>.Instance);

    public OutboxOptions Outbox { get; } = new() { BatchSize = 10, MaxAttempts = 4, InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromMinutes(5), Lease = TimeSpan.FromMinutes(1) };

    public RecordingPorts Ports { get; } = new();

    /// <summary>Jitter fixed at 0: the delay is exactly half the exponential step.</summary>
    public OutboxDispatcher Dispatcher() => new(DataSource, Clock, Ports, Ports, Options.Create(Outbox), new OutboxJitter(() => 0), NullLogger<OutboxDispatcher>.Instance);

    public RetentionOptions Retention { get; } = new();

    public ModerationWorkflow Workflow { get; }

    public Reviews Reviews { get; }

    public Escalations Escalations { get; }

    public NpgsqlDataSource DataSource { get; }

    public ManualClock Clock { get; }

    public AuditLog Audit { get; }

    public Organisation Organisation { get; }

    public StaffDirectory Staff { get; }

    public SignInOptions SignIn { get; } = new() { MaxFailedAttempts = 3, LockoutDuration = TimeSpan.FromMinutes(15) };

    public Task<DemoSchoolIds> SeedSchoolAsync(string? tag = null) =>
        DemoSchool.SeedAsync(Organisation, Staff, new DemoSchoolRequest("hash-not-a-real-password", tag ?? Guid.NewGuid().ToString("N")[..8]));

    public async Task<Guid> AddModeratorAsync(DemoSchoolIds school, string name, bool assign = true)
    {
        var id = await Staff.CreateAsync(new NewStaffMember(school.TrustId, name, $"{name}.{Guid.NewGuid():N}", $"{Guid.NewGuid():N}@example.school", [StaffRole.Moderator], [school.SchoolId]), Actor.System);
        if (assign)
        {
            await Organisation.AssignModeratorAsync(school.PageId, id, Actor.System);
        }

        return id;
    }

    /// <summary>Records a comment with a hand-made assessment (the model is not under test here).</summary>
    public Task<RecordResult> RecordAsync(Guid pageId, string externalId, string text, Verdict verdict, Category category = Category.Abuse, params string[] tags) =>
        Workflow.RecordAsync(pageId, new IncomingComment(externalId, text, Clock.GetUtcNow().AddMinutes(-1), "author-1", "A Parent", "post-1", null, $"https://example.test/c/{externalId}"), Assessment(verdict, category, tags));

    public static ModelAssessment Assessment(Verdict verdict, Category category = Category.Abuse, params string[] tags) => new(
        verdict,
        new Dictionary<Category, double> { [category] = verdict == Verdict.Allow ? 0.05 : 0.9, [Category.Spam] = 0.01 },
        verdict == Verdict.Allow ? [] : [new Reason(category, 0.9, "lexicon", category.CodeName(), "matched a listed term", [new TextSpan(0, 4)])],
        tags,
        "test-model-1",
        false);

    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) => Convert.ToInt64(await ScalarAsync<object>(sql, parameters), System.Globalization.CultureInfo.InvariantCulture);

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>A real (if simple) implementation of the worker's ports: it records every call and can be told to fail.</summary>
public sealed class RecordingPorts : IPlatformActions, INotificationSender
{
    public System.Collections.Concurrent.ConcurrentQueue<PlatformActionRequest> Actions { get; } = new();

    public System.Collections.Concurrent.ConcurrentQueue<NotificationRequest> Notifications { get; } = new();

    /// <summary>Decides per call whether to throw (null: succeed).</summary>
    public Func<PlatformActionRequest, Exception?> FailAction { get; set; } = _ => null;

    public Func<NotificationRequest, Exception?> FailNotification { get; set; } = _ => null;

    public async Task ExecuteAsync(PlatformActionRequest request, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (FailAction(request) is { } error)
        {
            throw error;
        }

        Actions.Enqueue(request);
    }

    public async Task SendAsync(NotificationRequest request, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (FailNotification(request) is { } error)
        {
            throw error;
        }

        Notifications.Enqueue(request);
    }
}

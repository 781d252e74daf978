using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core.Security;
using Moderator.Core.Storage;
using Moderator.Core.Workflow;
using Moderator.Model;
using Moderator.Testing;

namespace Moderator.Core.Tests;

public sealed class RegistrationTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private ServiceProvider Build(Dictionary<string, string?>? settings = null, ILoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build());
        services.AddLogging(b =>
        {
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        services.AddModeratorStorage(db.ConnectionString, migrateOnStart: false);
        services.AddModeratorWorkflow();

        // Both hosts register Data Protection; the pupil rosters' key is encrypted with it.
        services.AddModeratorDataProtection();
        services.AddOutboxDispatcher();
        var ports = new RecordingPorts();
        services.AddSingleton<IPlatformActions>(ports);
        services.AddSingleton<INotificationSender>(ports);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void Every_workflow_service_resolves_from_one_registration()
    {
        using var provider = Build();

        Assert.NotNull(provider.GetRequiredService<Organisation>());
        Assert.NotNull(provider.GetRequiredService<StaffDirectory>());
        Assert.NotNull(provider.GetRequiredService<ModerationWorkflow>());
        Assert.NotNull(provider.GetRequiredService<Reviews>());
        Assert.NotNull(provider.GetRequiredService<Escalations>());
        Assert.NotNull(provider.GetRequiredService<OutboxDispatcher>());
        Assert.NotNull(provider.GetRequiredService<Retention>());
        Assert.NotNull(provider.GetRequiredService<EvidencePacks>());
        Assert.NotNull(provider.GetRequiredService<AuditLog>());
        Assert.NotNull(provider.GetRequiredService<PupilRosters>());
    }

    [Fact]
    public void Options_bind_from_configuration()
    {
        using var provider = Build(new() { ["Moderator:Review:ClaimDuration"] = "00:05:00", ["Moderator:Retention:BenignCommentText"] = "14.00:00:00" });

        Assert.Equal(TimeSpan.FromMinutes(5), provider.GetRequiredService<IOptions<ReviewOptions>>().Value.ClaimDuration);
        Assert.Equal(TimeSpan.FromDays(14), provider.GetRequiredService<IOptions<RetentionOptions>>().Value.BenignCommentText);
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        using var provider = Build(new() { ["Moderator:Outbox:MaxAttempts"] = "0", ["Moderator:Retention:BenignCommentText"] = "00:00:10" });

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OutboxOptions>>().Value);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RetentionOptions>>().Value);
    }

    [Fact]
    public async Task Logs_carry_ids_and_categories_but_never_comment_text_or_names()
    {
        var logs = new ListLoggerProvider();
        await using var provider = Build(logs: logs);
        var organisation = provider.GetRequiredService<Organisation>();
        var staff = provider.GetRequiredService<StaffDirectory>();
        var school = await DemoSchool.SeedAsync(organisation, staff, new DemoSchoolRequest("hash", "logs"));
        var workflow = provider.GetRequiredService<ModerationWorkflow>();
        var reviews = provider.GetRequiredService<Reviews>();

        var result = await workflow.RecordAsync(
            school.PageId,
            new IncomingComment("log-1", "call Jayden on 07700 900123", DateTimeOffset.UtcNow, "a-1", "Parent Person", Permalink: "https://x.test/1"),
            Services.Assessment(Verdict.HideAndEscalate, Category.PupilIdentification));
        await reviews.DecideAsync(result.ReviewCaseId!.Value, school.Moderator1Id, Decision.Hide);
        await reviews.DecideAsync(result.ReviewCaseId!.Value, school.Moderator2Id, Decision.Hide);
        await provider.GetRequiredService<OutboxDispatcher>().DispatchAsync("n");

        var all = string.Join("\n", logs.Messages);
        Assert.Contains(result.CommentId.ToString(), all, StringComparison.Ordinal);
        Assert.Contains("pupil_identification", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Jayden", all, StringComparison.Ordinal);
        Assert.DoesNotContain("07700", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Parent Person", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Alex Moderator", all, StringComparison.Ordinal);
    }

    private sealed class ListLoggerProvider : ILoggerProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new ListLogger(Messages);

        public void Dispose()
        {
        }

        private sealed class ListLogger(System.Collections.Concurrent.ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue($"{eventId.Id} {formatter(state, exception)} {exception}");
        }
    }
}

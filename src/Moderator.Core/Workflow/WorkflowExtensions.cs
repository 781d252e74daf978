using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Moderator.Core.Workflow;

public static class WorkflowExtensions
{
    /// <summary>
    /// Registers the review workflow services and their validated options (bound from configuration sections
    /// Moderator:Review, Moderator:Outbox, Moderator:Retention, Moderator:SignIn when a configuration is present).
    /// Storage (the data source) comes from AddModeratorStorage; the OutboxDispatcher needs the host to register
    /// <see cref="IPlatformActions"/> and <see cref="INotificationSender"/>.
    /// </summary>
    public static IServiceCollection AddModeratorWorkflow(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        AddValidated<ReviewOptions>(services, ReviewOptions.SectionName, o => o.Problems());
        AddValidated<OutboxOptions>(services, OutboxOptions.SectionName, o => o.Problems());
        AddValidated<RetentionOptions>(services, RetentionOptions.SectionName, o => o.Problems());
        AddValidated<SignInOptions>(services, SignInOptions.SectionName, o => o.Problems());
        services.AddSingleton<AuditLog>();
        services.AddSingleton<Organisation>();
        services.AddSingleton<StaffDirectory>();
        services.AddSingleton<ModerationWorkflow>();
        services.AddSingleton<Reviews>();
        services.AddSingleton<Escalations>();
        services.TryAddSingleton(OutboxJitter.Random);
        services.AddSingleton<Retention>();
        services.AddSingleton<EvidencePacks>();

        // Needs SecretProtector from AddModeratorDataProtection (registered by both hosts).
        services.AddSingleton<PupilRosters>();
        return services;
    }

    /// <summary>
    /// The outbox dispatcher, for hosts that carry out platform actions and notifications (the worker); it needs
    /// <see cref="IPlatformActions"/> and <see cref="INotificationSender"/>. Admin never calls a platform.
    /// </summary>
    public static IServiceCollection AddOutboxDispatcher(this IServiceCollection services)
    {
        services.AddTransient<OutboxDispatcher>();
        return services;
    }

    private static void AddValidated<T>(IServiceCollection services, string section, Func<T, IEnumerable<string>> problems)
        where T : class
    {
        services.AddOptions<T>().Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(section).Bind(o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new ProblemsValidator<T>(problems));
    }

    private sealed class ProblemsValidator<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var found = problems(options).ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}

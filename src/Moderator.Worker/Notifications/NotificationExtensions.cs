using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Workflow;

namespace Moderator.Worker.Notifications;

public static class NotificationExtensions
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();
        services.AddHttpClient<WebhookClient>((sp, http) => http.Timeout = sp.GetRequiredService<IOptions<NotificationOptions>>().Value.Webhook.Timeout);
        services.AddTransient<INotificationSender, NotificationSender>();
        return services;
    }
}

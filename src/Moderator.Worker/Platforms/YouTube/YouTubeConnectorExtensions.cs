using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.YouTube;

public static class YouTubeConnectorExtensions
{
    /// <summary>
    /// Registers the YouTube connector: options from the <c>YouTube</c> section (validated at start), the quota ledger
    /// shared by all calls of the process, the typed Data API client and the connector as an <see cref="IPlatformConnector"/>.
    /// </summary>
    public static IServiceCollection AddYouTubeConnector(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<YouTubeOptions>()
            .Bind(configuration.GetSection(YouTubeOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<YouTubeOptions>, YouTubeOptionsValidator>());
        services.TryAddSingleton<PlatformUsageLedger>();
        services.TryAddSingleton<YouTubeQuota>();
        services.AddHttpClient<YouTubeDataClient>((provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<YouTubeOptions>>().Value;
                http.BaseAddress = options.BaseAddress;
                http.Timeout = options.RequestTimeout;
            })
            // The default HttpClient logging writes full request URIs; the connector logs its own id-only events instead.
            .RemoveAllLoggers();
        services.AddTransient<YouTubeConnector>();
        services.AddTransient<IPlatformConnector>(provider => provider.GetRequiredService<YouTubeConnector>());
        return services;
    }

    private sealed class YouTubeOptionsValidator : IValidateOptions<YouTubeOptions>
    {
        public ValidateOptionsResult Validate(string? name, YouTubeOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}

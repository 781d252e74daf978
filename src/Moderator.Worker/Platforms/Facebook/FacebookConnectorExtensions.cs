using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.Facebook;

public static class FacebookConnectorExtensions
{
    /// <summary>
    /// Registers the Facebook Pages connector: options from the <c>Facebook</c> section (validated at start), the rate
    /// gate shared by all calls, the typed Graph client and the connector as an <see cref="IPlatformConnector"/>.
    /// </summary>
    public static IServiceCollection AddFacebookConnector(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<FacebookOptions>()
            .Bind(configuration.GetSection(FacebookOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FacebookOptions>, FacebookOptionsValidator>());
        services.TryAddSingleton<FacebookRateGate>();
        services.AddHttpClient<FacebookGraphClient>((provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<FacebookOptions>>().Value;
                http.BaseAddress = options.BaseAddress;
                http.Timeout = options.RequestTimeout;
            })
            // The default HttpClient logging writes full request URIs; the connector logs its own id-only events instead.
            .RemoveAllLoggers();
        services.AddTransient<FacebookConnector>();
        services.AddTransient<IPlatformConnector>(provider => provider.GetRequiredService<FacebookConnector>());
        return services;
    }

    private sealed class FacebookOptionsValidator : IValidateOptions<FacebookOptions>
    {
        public ValidateOptionsResult Validate(string? name, FacebookOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}

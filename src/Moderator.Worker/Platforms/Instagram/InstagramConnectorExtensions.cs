using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.Instagram;

public static class InstagramConnectorExtensions
{
    /// <summary>
    /// Registers the Instagram connector (Instagram API with Facebook Login): options from the <c>Instagram</c> section
    /// (validated at start), its own rate gate, the typed Graph client and the connector as an <see cref="IPlatformConnector"/>.
    /// </summary>
    public static IServiceCollection AddInstagramConnector(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<InstagramOptions>()
            .Bind(configuration.GetSection(InstagramOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InstagramOptions>, InstagramOptionsValidator>());
        services.TryAddSingleton<InstagramRateGate>();
        services.AddHttpClient<InstagramGraphClient>((provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<InstagramOptions>>().Value;
                http.BaseAddress = options.BaseAddress;
                http.Timeout = options.RequestTimeout;
            })
            // The default HttpClient logging writes full request URIs; the connector logs its own id-only events instead.
            .RemoveAllLoggers();
        services.AddTransient<InstagramConnector>();
        services.AddTransient<IPlatformConnector>(provider => provider.GetRequiredService<InstagramConnector>());
        return services;
    }

    private sealed class InstagramOptionsValidator : IValidateOptions<InstagramOptions>
    {
        public ValidateOptionsResult Validate(string? name, InstagramOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}

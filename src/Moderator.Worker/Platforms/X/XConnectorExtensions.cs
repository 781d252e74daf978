using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.X;

public static class XConnectorExtensions
{
    /// <summary>
    /// Registers the X (API v2) connector: options from the <c>X</c> section (validated at start), the rate gate, read
    /// meter and token cache shared by all calls, the typed API client and the connector as an <see cref="IPlatformConnector"/>.
    /// </summary>
    public static IServiceCollection AddXConnector(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<XOptions>()
            .Bind(configuration.GetSection(XOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<XOptions>, XOptionsValidator>());
        services.TryAddSingleton<XRateGate>();
        services.TryAddSingleton<PlatformUsageLedger>();
        services.TryAddSingleton<XReadMeter>();
        services.TryAddSingleton<XTokenCache>();
        services.AddHttpClient<XApiClient>((provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<XOptions>>().Value;
                http.BaseAddress = options.BaseAddress;
                http.Timeout = options.RequestTimeout;
            })
            // The default HttpClient logging writes full request URIs (the search query names the account); the client logs its own id-only events.
            .RemoveAllLoggers();
        services.AddTransient<XConnector>();
        services.AddTransient<IPlatformConnector>(provider => provider.GetRequiredService<XConnector>());
        return services;
    }

    private sealed class XOptionsValidator : IValidateOptions<XOptions>
    {
        public ValidateOptionsResult Validate(string? name, XOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}

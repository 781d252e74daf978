using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.Facebook;

namespace Moderator.Worker.Tests.Platforms;

public sealed class FacebookOptionsTests
{
    [Theory]
    [InlineData("Facebook:BaseAddress", "https://graph.facebook.com/v26.0")]
    [InlineData("Facebook:BaseAddress", "ftp://graph.facebook.com/v26.0/")]
    [InlineData("Facebook:RequestTimeout", "00:00:00")]
    [InlineData("Facebook:SlowDownFromPercent", "100")]
    [InlineData("Facebook:MaxPostsPerPoll", "0")]
    public void Unusable_settings_are_refused_when_the_options_are_first_read(string key, string value)
    {
        using var provider = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FacebookOptions>>().Value);

        Assert.Contains(key, string.Join(" ", error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_point_at_graph_v26_and_register_the_connector_as_a_platform_port()
    {
        using var provider = Build([]);

        var options = provider.GetRequiredService<IOptions<FacebookOptions>>().Value;
        var connector = provider.GetRequiredService<IPlatformConnector>();

        Assert.Equal(new Uri("https://graph.facebook.com/v26.0/"), options.BaseAddress);
        Assert.Equal(Platform.Facebook, connector.Platform);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddFacebookConnector(configuration).BuildServiceProvider();
    }
}

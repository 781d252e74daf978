using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.Facebook;
using Moderator.Worker.Platforms.Instagram;

namespace Moderator.Worker.Tests.Platforms;

public sealed class InstagramOptionsTests
{
    [Theory]
    [InlineData("Instagram:BaseAddress", "https://graph.facebook.com/v26.0")]
    [InlineData("Instagram:RequestTimeout", "00:00:00")]
    [InlineData("Instagram:MaxCommentsPerMedia", "0")]
    [InlineData("Instagram:MaxMediaPerPoll", "0")]
    [InlineData("Instagram:FullScanInterval", "00:00:00")]
    [InlineData("Instagram:SlowDownFromPercent", "100")]
    public void Unusable_settings_are_refused_when_the_options_are_first_read(string key, string value)
    {
        using var provider = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<InstagramOptions>>().Value);

        Assert.Contains(key, string.Join(" ", error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Instagram_registers_beside_facebook_as_a_second_platform_port_with_its_own_rate_gate()
    {
        var configuration = new ConfigurationBuilder().Build();
        using var provider = new ServiceCollection().AddLogging().AddFacebookConnector(configuration).AddInstagramConnector(configuration).BuildServiceProvider();

        var platforms = provider.GetServices<IPlatformConnector>().Select(c => c.Platform).ToList();
        var instagramGate = provider.GetRequiredService<InstagramRateGate>().Graph;
        var facebookGate = provider.GetRequiredService<FacebookRateGate>().Graph;
        instagramGate.RecordRateLimited("17841400000000001", TimeSpan.FromMinutes(5));

        Assert.Equal([Platform.Facebook, Platform.Instagram], platforms);
        Assert.Equal(new Uri("https://graph.facebook.com/v26.0/"), provider.GetRequiredService<IOptions<InstagramOptions>>().Value.BaseAddress);
        Assert.Equal(Platform.Instagram, instagramGate.Platform);
        Assert.Equal(TimeSpan.Zero, facebookGate.RecommendedDelay("17841400000000001"));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddInstagramConnector(configuration).BuildServiceProvider();
    }
}

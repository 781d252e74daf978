using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Moderator.Core.Security;
using Moderator.Testing;
using Npgsql;

namespace Moderator.Core.Tests.Security;

public sealed class SecretProtectorTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private ServiceProvider Node()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString));
        services.AddModeratorDataProtection();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task A_token_encrypted_on_one_node_is_decrypted_on_another_and_never_stored_in_plain_text()
    {
        await using var first = Node();
        await using var second = Node();
        const string token = "EAAB-page-token-sentinel-7731";

        var ciphertext = first.GetRequiredService<SecretProtector>().Protect(token);

        Assert.DoesNotContain(token, ciphertext, StringComparison.Ordinal);
        Assert.Equal(token, second.GetRequiredService<SecretProtector>().Unprotect(ciphertext));
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        Assert.True(await connection.QuerySingleAsync<long>("SELECT count(*) FROM data_protection_keys") >= 1);
    }

    [Fact]
    public async Task Altered_ciphertext_is_refused()
    {
        await using var node = Node();
        var protector = node.GetRequiredService<SecretProtector>();
        var ciphertext = protector.Protect("secret");
        var altered = ciphertext[..^3] + (ciphertext[^3] == 'A' ? 'B' : 'A') + ciphertext[^2..];

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(altered));
    }
}

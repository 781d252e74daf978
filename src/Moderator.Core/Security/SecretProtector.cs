using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Moderator.Core.Security;

/// <summary>
/// Encrypts platform credentials (page tokens, refresh tokens) at rest with ASP.NET Core Data Protection; the key ring
/// lives in the database so any worker or Admin node can decrypt what another encrypted.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Moderator.PlatformCredentials.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    /// <exception cref="System.Security.Cryptography.CryptographicException">The ciphertext was altered or its key is gone.</exception>
    public string Unprotect(string ciphertext) => _protector.Unprotect(ciphertext);
}

public static class SecretProtectionExtensions
{
    public const string ApplicationName = "Moderator";

    /// <summary>Data Protection with the key ring in PostgreSQL (same application name on every node).</summary>
    public static IServiceCollection AddModeratorDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<NpgsqlDataSource>())));
        services.AddSingleton<SecretProtector>();
        return services;
    }
}

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Moderator.Admin.Tests.Support;

/// <summary>Admin over one test database. With <c>realPort</c> it listens on 127.0.0.1 (for the browser tests).</summary>
public sealed class AdminFactory : WebApplicationFactory<Program>
{
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string> _settings;

    public AdminFactory(string connectionString, bool realPort = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        _connectionString = connectionString;
        _settings = settings ?? new Dictionary<string, string>();
        if (realPort)
        {
            UseKestrel(0);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("ConnectionStrings:Moderator", _connectionString)
            .UseSetting("Logging:Directory", Path.Combine(Path.GetTempPath(), "moderator-admin-tests"))
            .UseSetting("Serilog:MinimumLevel", "Warning")
            .UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

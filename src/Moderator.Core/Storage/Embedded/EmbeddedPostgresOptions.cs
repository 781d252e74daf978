namespace Moderator.Core.Storage.Embedded;

/// <summary>Settings for the private PostgreSQL cluster started when no connection string is configured.</summary>
public sealed class EmbeddedPostgresOptions
{
    public const string SectionName = "EmbeddedPostgres";

    /// <summary>Folder that holds the cluster, its password and its log. Relative paths are resolved against the working directory.</summary>
    public string DataDirectory { get; set; } = Path.Combine(".data", "postgres");

    /// <summary>Folder with initdb, pg_ctl and postgres. Empty: search PATH, then /usr/lib/postgresql/*/bin.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>Unprivileged account that runs the server when this process runs as root (postgres refuses root).</summary>
    public string RunAsUser { get; set; } = "postgres";

    /// <summary>How long to wait for the server to accept connections.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

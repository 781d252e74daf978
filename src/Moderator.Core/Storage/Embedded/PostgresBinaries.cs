namespace Moderator.Core.Storage.Embedded;

/// <summary>Locates the PostgreSQL server programs on this machine.</summary>
public sealed record PostgresBinaries(string BinDirectory)
{
    public const string InstallHint =
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH or under /usr/lib/postgresql/*/bin; " +
        "install them with 'sudo apt-get install -y postgresql', set EmbeddedPostgres:BinDirectory, " +
        "or configure ConnectionStrings:Moderator (MODERATOR_DB) to use an existing server.";

    public string InitDb => Path.Combine(BinDirectory, "initdb");

    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");

    /// <summary>Finds the binaries, or throws <see cref="EmbeddedPostgresException"/> with the install hint.</summary>
    public static PostgresBinaries Locate(string? configuredDirectory, string? pathVariable = null, string libRoot = "/usr/lib/postgresql")
    {
        if (!string.IsNullOrWhiteSpace(configuredDirectory))
        {
            return HasServer(configuredDirectory)
                ? new PostgresBinaries(configuredDirectory)
                : throw new EmbeddedPostgresException(InstallHint);
        }

        pathVariable ??= Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (HasServer(dir))
            {
                // On Debian /usr/bin/pg_ctl may be a wrapper script; resolve symlinks to the real folder.
                var real = Path.GetDirectoryName(new FileInfo(Path.Combine(dir, "pg_ctl")).ResolveLinkTarget(returnFinalTarget: true)?.FullName) ?? dir;
                return new PostgresBinaries(HasServer(real) ? real : dir);
            }
        }

        if (Directory.Exists(libRoot))
        {
            var newest = Directory.GetDirectories(libRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(x => HasServer(x.Dir))
                .OrderByDescending(x => x.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return new PostgresBinaries(newest.Dir);
            }
        }

        throw new EmbeddedPostgresException(InstallHint);
    }

    private static bool HasServer(string dir) =>
        File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "postgres"));
}

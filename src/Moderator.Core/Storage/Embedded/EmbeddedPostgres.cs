using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Moderator.Core.Storage.Embedded;

/// <summary>
/// A private PostgreSQL cluster in a data folder: created on first use, reused afterwards, listening on
/// 127.0.0.1 only with a generated password kept beside it. Stopping it stops the server only if this
/// instance started it.
/// </summary>
public sealed partial class EmbeddedPostgres : IAsyncDisposable
{
    public const string DatabaseName = "moderator";
    public const string SuperUser = "moderator";

    private readonly EmbeddedPostgresOptions _options;
    private readonly ILogger _logger;
    private readonly IReadOnlyDictionary<string, string> _extraSettings;
    private readonly string _root;
    private bool _startedByUs;
    private PostgresBinaries? _binaries;

    public EmbeddedPostgres(EmbeddedPostgresOptions options, ILogger? logger = null, IReadOnlyDictionary<string, string>? extraServerSettings = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _extraSettings = extraServerSettings ?? new Dictionary<string, string>();
        _root = Path.GetFullPath(options.DataDirectory);
    }

    public string DataDirectory => _root;

    private string ClusterDirectory => Path.Combine(_root, "pgdata");

    private string PasswordFile => Path.Combine(_root, "password");

    private string PortFile => Path.Combine(_root, "port");

    private string LogFile => Path.Combine(_root, "postgres.log");

    public int Port { get; private set; }

    /// <summary>Connection string to the application database (available after <see cref="StartAsync"/>).</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Connection string for a named database on this cluster.</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = File.ReadAllText(PasswordFile).Trim(),
        Database = database,
    }.ConnectionString;

    public async Task<string> StartAsync(CancellationToken cancellationToken = default)
    {
        _binaries = PostgresBinaries.Locate(_options.BinDirectory);
        Directory.CreateDirectory(_root);

        await using (await AcquireFolderLockAsync(cancellationToken))
        {
            var runAs = ServerAccount();
            if (!File.Exists(Path.Combine(ClusterDirectory, "PG_VERSION")))
            {
                await InitialiseAsync(runAs, cancellationToken);
            }

            if (await IsRunningAsync(runAs, cancellationToken))
            {
                Port = int.Parse(File.ReadAllText(PortFile).Trim(), CultureInfo.InvariantCulture);
                LogReusingServer(_logger, Port);
            }
            else
            {
                Port = ChoosePort();
                await File.WriteAllTextAsync(PortFile, Port.ToString(CultureInfo.InvariantCulture), cancellationToken);
                await RunAsync(runAs, _binaries.PgCtl,
                    ["-D", ClusterDirectory, "-l", LogFile, "-w", "-t", ((int)_options.StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                     "-o", $"-p {Port}", "start"], cancellationToken);
                _startedByUs = true;
                LogStartedServer(_logger, Port, _root);
            }
        }

        await EnsureDatabaseAsync(DatabaseName, cancellationToken);
        ConnectionString = ConnectionStringFor(DatabaseName);
        return ConnectionString;
    }

    /// <summary>Creates a database on the cluster if it does not exist yet.</summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\" TEMPLATE template0 ENCODING 'UTF8'", connection);
            try
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another process created it first.
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!_startedByUs || _binaries is null)
        {
            return;
        }

        _startedByUs = false;
        NpgsqlConnection.ClearAllPools();
        await RunAsync(ServerAccount(), _binaries.PgCtl, ["-D", ClusterDirectory, "-m", "fast", "-w", "stop"], cancellationToken);
        LogStoppedServer(_logger, Port);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task InitialiseAsync(string? runAs, CancellationToken cancellationToken)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        await File.WriteAllTextAsync(PasswordFile, password, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // initdb reads the password from a file the server account can read; it is removed straight after.
        var pwfile = Path.Combine(_root, ".initdb-pw");
        await File.WriteAllTextAsync(pwfile, password, cancellationToken);
        Directory.CreateDirectory(ClusterDirectory);
        if (runAs is not null)
        {
            await RunAsync(null, "chown", [runAs, pwfile, ClusterDirectory, _root], cancellationToken);
        }

        try
        {
            await RunAsync(runAs, _binaries!.InitDb,
                ["-D", ClusterDirectory, "-U", SuperUser, $"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8", "--no-locale"], cancellationToken);
        }
        finally
        {
            File.Delete(pwfile);
        }

        var settings = new Dictionary<string, string>
        {
            ["listen_addresses"] = "'127.0.0.1'",
            ["unix_socket_directories"] = "''",
            ["max_connections"] = "200",
            ["log_line_prefix"] = "'%m [%p] '",
        };
        foreach (var (key, value) in _extraSettings)
        {
            settings[key] = value;
        }

        var lines = settings.Select(kv => $"{kv.Key} = {kv.Value}");
        await File.AppendAllLinesAsync(Path.Combine(ClusterDirectory, "postgresql.conf"), ["", "# Set by Moderator's embedded PostgreSQL", .. lines], cancellationToken);
        LogInitialisedCluster(_logger, _root);
    }

    private async Task<bool> IsRunningAsync(string? runAs, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(ClusterDirectory, "postmaster.pid")) || !File.Exists(PortFile))
        {
            return false;
        }

        var (exitCode, _) = await ExecuteAsync(runAs, _binaries!.PgCtl, ["-D", ClusterDirectory, "status"], cancellationToken);
        return exitCode == 0;
    }

    private int ChoosePort()
    {
        if (File.Exists(PortFile) && int.TryParse(File.ReadAllText(PortFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var previous) && IsFree(previous))
        {
            return previous;
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private string? ServerAccount()
    {
        if (Environment.UserName != "root")
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(_options.RunAsUser)
            ? throw new EmbeddedPostgresException("PostgreSQL refuses to run as root; set EmbeddedPostgres:RunAsUser to an unprivileged account.")
            : _options.RunAsUser;
    }

    private async Task<IAsyncDisposable> AcquireFolderLockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_root, ".lock");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (deadline.Elapsed < _options.StartTimeout)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private async Task RunAsync(string? runAs, string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await ExecuteAsync(runAs, program, arguments, cancellationToken);
        if (exitCode != 0)
        {
            var log = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(5)) : string.Empty;
            throw new EmbeddedPostgresException(
                $"'{Path.GetFileName(program)} {(arguments.Count > 0 ? arguments[^1] : string.Empty)}' failed with exit code {exitCode} for the embedded PostgreSQL in {_root}: {output.Trim()} {log}".Trim());
        }
    }

    private static async Task<(int ExitCode, string Output)> ExecuteAsync(string? runAs, string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = runAs is null ? program : "runuser",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (runAs is not null)
        {
            foreach (var a in new[] { "-u", runAs, "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new EmbeddedPostgresException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Initialised a private PostgreSQL cluster in {DataDirectory}")]
    private static partial void LogInitialisedCluster(ILogger logger, string dataDirectory);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Started the private PostgreSQL on 127.0.0.1:{Port} (data in {DataDirectory})")]
    private static partial void LogStartedServer(ILogger logger, int port, string dataDirectory);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Reusing the private PostgreSQL already running on 127.0.0.1:{Port}")]
    private static partial void LogReusingServer(ILogger logger, int port);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Stopped the private PostgreSQL on 127.0.0.1:{Port}")]
    private static partial void LogStoppedServer(ILogger logger, int port);
}

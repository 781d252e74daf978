namespace Moderator.Core.Storage.Embedded;

/// <summary>The private PostgreSQL cluster could not be prepared or started; the message says what to do.</summary>
public sealed class EmbeddedPostgresException : Exception
{
    public EmbeddedPostgresException(string message) : base(message)
    {
    }

    public EmbeddedPostgresException(string message, Exception inner) : base(message, inner)
    {
    }

    public EmbeddedPostgresException()
    {
    }
}

namespace Moderator.Core;

/// <summary>The social platforms a school's page can live on (stored by name in the database).</summary>
public enum Platform
{
    Facebook = 1,
    Instagram = 2,
    X = 3,
    YouTube = 4,
}

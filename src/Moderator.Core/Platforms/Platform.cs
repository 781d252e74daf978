namespace Moderator.Core.Platforms;

/// <summary>The social platforms a school's page can live on.</summary>
public enum Platform
{
    Facebook = 1,
    Instagram = 2,
    X = 3,
    YouTube = 4,
}

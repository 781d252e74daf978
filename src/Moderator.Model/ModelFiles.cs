using Moderator.Model.Classifier;

namespace Moderator.Model;

/// <summary>Finds the trained model file: a configured path wins; else models/&lt;file&gt; in the first folder upward from the app.</summary>
public static class ModelFiles
{
    public const string DirectoryName = "models";

    /// <summary>models/moderation-model.bin found upward from <see cref="AppContext.BaseDirectory"/> or the current directory; null when absent.</summary>
    public static string? DefaultPath => Find(null);

    /// <summary>The configured path when given (it must exist), else the first models/<see cref="ModelFile.FileName"/> upward.</summary>
    public static string? Find(string? configuredPath)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            return File.Exists(configuredPath) ? Path.GetFullPath(configuredPath) : throw new FileNotFoundException("The configured model file does not exist.", configuredPath);
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            var directory = new DirectoryInfo(start);
            while (directory is not null)
            {
                var candidate = Path.Combine(directory.FullName, DirectoryName, ModelFile.FileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }

                directory = directory.Parent;
            }
        }

        return null;
    }

    /// <summary>Loads the configured or default model; throws when there is none.</summary>
    public static ModerationModel Load(string? configuredPath = null) =>
        ModerationModel.Load(Find(configuredPath) ?? throw new FileNotFoundException($"No {DirectoryName}/{ModelFile.FileName} found above {AppContext.BaseDirectory}; run `moderator train`."));
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moderator.Model;

namespace Moderator.Worker.Hosting;

public static partial class ModelExtensions
{
    /// <summary>Model:Path, or models/moderation-model.bin found upward from the program.</summary>
    public const string PathSetting = "Model:Path";

    /// <summary>Loads the trained model once per process, at start, so a missing or corrupt file stops the worker at once.</summary>
    public static IServiceCollection AddModerationModel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ICommentScorer>(sp =>
        {
            var path = ModelFiles.Find(configuration[PathSetting])
                ?? throw new FileNotFoundException($"No trained model was found (models/{Model.Classifier.ModelFile.FileName} upward from the program); run 'moderator train' or set {PathSetting}.");
            var model = ModelFiles.Load(path);
            var logger = sp.GetRequiredService<ILogger<ICommentScorer>>();
            LogLoaded(logger, model.ModelVersion, path);
            return model;
        });
        services.AddHostedService<LoadModelAtStart>();
        return services;
    }

    private sealed class LoadModelAtStart(ICommentScorer scorer) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(scorer.ModelVersion);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Loaded moderation model {ModelVersion} from {Path}")]
    private static partial void LogLoaded(ILogger logger, string modelVersion, string path);
}

namespace Moderator.Worker.Simulator;

/// <summary>The demo school's channel on the YouTube simulator and its videos by feed key.</summary>
public sealed record YouTubeDemoChannel(SimulatedChannel Channel, IReadOnlyDictionary<string, string> VideoIds);

// The demo: Oakfield Primary School's channel, whose videos (and one local news video about the school that the
// channel does not own) receive the YouTube demo feed over the first minute.
public sealed partial class YouTubeSimulator
{
    public const string DemoSchoolName = "Oakfield Primary School";

    /// <summary>The YouTube demo feed, relative to the repository root (same columns as the Facebook feed).</summary>
    public const string DemoFeedRelativePath = "seeds/demo/youtube-comments.tsv";

    /// <summary>The demo video that belongs to another channel: its comments cannot be moderated by the school.</summary>
    public const string ForeignDemoVideoKey = "local-news-report";

    private static readonly (string Key, string Title, bool Owned)[] DemoVideos =
    [
        ("nativity-2026", "Key Stage 1 Nativity 2026 - Oakfield Primary School", true),
        ("sports-day-highlights", "Sports Day Highlights", true),
        ("school-tour", "Take a tour of Oakfield Primary School", true),
        ("harvest-assembly", "Harvest Assembly - Year 2", true),
        ("year6-leavers-song", "Year 6 Leavers' Song", true),
        ("christmas-fair", "PTA Christmas Fair - what's on", true),
        (ForeignDemoVideoKey, "Roof repairs close classrooms at local primary (Valley News)", false),
    ];

    private static readonly string[] DemoAuthors =
    [
        "Hannah Pryce", "Olu Adeyemi", "Megan Castell", "Jas Dhillon", "Callum Reid", "Beata Kowalska", "Steve Marsh",
        "Nadia Haddad", "Liam O'Rourke", "Tasha Greene", "Ravi Menon", "Ellie Shore",
    ];

    /// <summary>Adds the demo school's channel and one video per demo key (the news video owned by someone else).</summary>
    public YouTubeDemoChannel AddDemoChannel(string? channelId = null)
    {
        var channel = AddChannel(DemoSchoolName, channelId);
        var videos = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, title, owned) in DemoVideos)
        {
            videos[key] = AddVideo(channel.Id, title, owned);
        }

        return new YouTubeDemoChannel(channel, videos);
    }

    /// <summary>
    /// Posts the feed's comments under the channel's videos, each after its delay from now by the simulator's clock
    /// (an unknown key gets a new owned video). Every third comment on a video that already has one is posted as a reply to
    /// that video's latest top-level comment, so the demo has threads. Returns at once; the replay runs until done or cancelled.
    /// </summary>
    public DemoReplay StartDemoReplay(YouTubeDemoChannel demo, IReadOnlyList<DemoComment> feed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(demo);
        ArgumentNullException.ThrowIfNull(feed);
        var replay = new DemoReplay();
        replay.Completion = ReplayAsync(demo, feed, replay, cancellationToken);
        return replay;
    }

    /// <summary>Finds the YouTube demo feed by walking up from <paramref name="start"/> (the working directory by default).</summary>
    public static string? LocateDemoFeed(string? start = null)
    {
        for (var folder = new DirectoryInfo(start ?? Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, DemoFeedRelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private async Task ReplayAsync(YouTubeDemoChannel demo, IReadOnlyList<DemoComment> feed, DemoReplay replay, CancellationToken cancellationToken)
    {
        var start = _clock.GetUtcNow();
        var videos = new Dictionary<string, string>(demo.VideoIds, StringComparer.Ordinal);
        var latestTopLevel = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var comment in feed.OrderBy(c => c.Delay))
        {
            var wait = start + comment.Delay - _clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _clock, cancellationToken);
            }

            if (!videos.TryGetValue(comment.PostKey, out var videoId))
            {
                videoId = AddVideo(demo.Channel.Id, comment.PostKey);
                videos[comment.PostKey] = videoId;
            }

            var author = DemoAuthors[index % DemoAuthors.Length];
            var parent = index % 3 == 2 ? latestTopLevel.GetValueOrDefault(comment.PostKey) : null;
            var id = AddComment(videoId, comment.Text, author, parent);
            if (parent is null)
            {
                latestTopLevel[comment.PostKey] = id;
            }

            index++;
            replay.Add(new ReplayedComment(comment, id));
        }
    }
}

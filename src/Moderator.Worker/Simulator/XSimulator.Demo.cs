namespace Moderator.Worker.Simulator;

/// <summary>One demo reply as seeded: its id, where it is, and what the product should do with it.</summary>
public sealed record XDemoReply(string Id, string PostKey, bool InForeignConversation, DemoExpectation Expected)
{
    /// <summary>Harmful replies the school can hide (in its own conversations).</summary>
    public bool ShouldBeHidden => Expected is DemoExpectation.Hide or DemoExpectation.Escalate && !InForeignConversation;

    /// <summary>Harmful replies X will not let the school hide: they must surface as "cannot hide — act on the platform".</summary>
    public bool CannotBeHidden => Expected is DemoExpectation.Hide or DemoExpectation.Escalate && InForeignConversation;
}

/// <summary>The seeded demo: the school's account, the secret to store for it, and the replies scheduled.</summary>
public sealed record XDemoAccount(SimulatedXAccount School, string Credentials, IReadOnlyList<XDemoReply> Replies);

// The demo: @OakfieldPrimary posts, replies from a feed appearing over time, and a local news thread it does not own.
public sealed partial class XSimulator
{
    public const string DemoFeedRelativePath = "seeds/demo/x-replies.tsv";

    /// <summary>Feed post keys starting with this are conversations started by another account (a local news post).</summary>
    public const string ForeignPrefix = "foreign-";

    private static readonly string[] DemoAuthors =
    [
        "Priya Kettering", "Tom Ashdown", "Leanne Moorcroft", "Dev Ramanathan", "Carys Whitlock", "Marcus Pennington",
        "Hollie Stanbridge", "Idris Okafor", "Gemma Thistlewood", "Ollie Brackenbury", "Sana Fairweather", "Rob Tillingham",
    ];

    /// <summary>
    /// Seeds the demo account and schedules every feed line as a reply created at <paramref name="start"/> + its delay
    /// (it appears in search once the simulator's clock gets there). Lines whose post key starts with
    /// <see cref="ForeignPrefix"/> land in a conversation started by a local news account. The other demo accounts'
    /// usernames derive from <paramref name="schoolUsername"/>, so several demo schools can share one simulator.
    /// <paramref name="schoolAccountId"/> fixes the school's account id (the demo's page keeps its id across runs).
    /// </summary>
    public XDemoAccount SeedDemo(IReadOnlyList<DemoComment> feed, DateTimeOffset start, string schoolUsername = "OakfieldPrimary", string? schoolAccountId = null)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var school = AddAccount(schoolUsername, "Oakfield Primary School", schoolAccountId);
        var news = AddAccount(schoolUsername + "News", "Example Town News");
        var authors = DemoAuthors.Select((name, i) => AddAccount($"{schoolUsername}Parent{i + 1:00}", name)).ToList();
        var posts = new Dictionary<string, string>(StringComparer.Ordinal);
        var replies = new List<XDemoReply>();
        var postedAt = start - TimeSpan.FromHours(2);
        for (var i = 0; i < feed.Count; i++)
        {
            var line = feed[i];
            var foreign = line.PostKey.StartsWith(ForeignPrefix, StringComparison.Ordinal);
            if (!posts.TryGetValue(line.PostKey, out var postId))
            {
                postId = foreign
                    ? AddPost(news.Id, $"Oakfield Primary School pupils win the county reading award ({line.PostKey}).", postedAt)
                    : AddPost(school.Id, $"News from Oakfield Primary School: {line.PostKey.Replace('-', ' ')}.", postedAt);
                if (foreign)
                {
                    // The school answered in the news thread, so replies to the school arrive in a conversation it did not start.
                    postId = AddReply(postId, school.Id, "Thank you, we are very proud of our readers!", postedAt + TimeSpan.FromMinutes(5));
                }

                posts[line.PostKey] = postId;
            }

            var author = authors[i % authors.Count];
            var id = AddReply(postId, author.Id, line.Text, start + line.Delay);
            replies.Add(new XDemoReply(id, line.PostKey, foreign, line.Expected));
        }

        return new XDemoAccount(school, IssueCredentials(school.Id), replies);
    }

    /// <summary>Finds <see cref="DemoFeedRelativePath"/> by walking up from <paramref name="start"/> (the working directory by default).</summary>
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
}

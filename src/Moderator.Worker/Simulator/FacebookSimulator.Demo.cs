using System.Collections.Concurrent;

namespace Moderator.Worker.Simulator;

/// <summary>The demo school's page on the simulator and its posts by feed key.</summary>
public sealed record SimulatedDemoSchool(SimulatedPage Page, IReadOnlyDictionary<string, string> PostIds);

/// <summary>A demo comment that has been posted, with its simulator id.</summary>
public sealed record ReplayedComment(DemoComment Source, string CommentId);

/// <summary>A running replay of a demo feed: the comments posted so far, and a task that ends when all are posted.</summary>
public sealed class DemoReplay
{
    private readonly ConcurrentQueue<ReplayedComment> _posted = new();

    internal DemoReplay()
    {
    }

    public Task Completion { get; internal set; } = Task.CompletedTask;

    public IReadOnlyList<ReplayedComment> Posted => [.. _posted];

    internal void Add(ReplayedComment comment) => _posted.Enqueue(comment);

    /// <summary>
    /// Replays <paramref name="feed"/> on a simulator: each comment after its delay from now by
    /// <paramref name="clock"/>, on the post its key names (a key not yet posted gets a new post through
    /// <paramref name="addPost"/>), with authors taken in turn from <paramref name="authors"/>. Returns at once.
    /// </summary>
    internal static DemoReplay Start(
        TimeProvider clock,
        IReadOnlyList<DemoComment> feed,
        IReadOnlyDictionary<string, string> postIds,
        Func<string, string> addPost,
        Func<string, string, string, string> addComment,
        IReadOnlyList<string> authors,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var replay = new DemoReplay();
        replay.Completion = replay.RunAsync(clock, feed, postIds, addPost, addComment, authors, cancellationToken);
        return replay;
    }

    private async Task RunAsync(
        TimeProvider clock,
        IReadOnlyList<DemoComment> feed,
        IReadOnlyDictionary<string, string> postIds,
        Func<string, string> addPost,
        Func<string, string, string, string> addComment,
        IReadOnlyList<string> authors,
        CancellationToken cancellationToken)
    {
        var start = clock.GetUtcNow();
        var posts = new Dictionary<string, string>(postIds, StringComparer.Ordinal);
        var index = 0;
        foreach (var comment in feed.OrderBy(c => c.Delay))
        {
            var wait = start + comment.Delay - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, cancellationToken);
            }

            if (!posts.TryGetValue(comment.PostKey, out var postId))
            {
                postId = addPost($"News: {comment.PostKey}");
                posts[comment.PostKey] = postId;
            }

            Add(new ReplayedComment(comment, addComment(postId, comment.Text, authors[index++ % authors.Count])));
        }
    }
}

// The demo: a fictional UK primary school page whose posts receive the demo feed over the first minute.
public sealed partial class FacebookSimulator
{
    public const string DemoSchoolName = "Oakfield Primary School";

    private static readonly (string Key, string Message)[] DemoPosts =
    [
        ("welcome-back", "Welcome back to the autumn term! It was wonderful to see so many smiling faces at the gate this morning."),
        ("harvest-festival", "Thank you to everyone who came to our Harvest Festival. All donations go to the local food bank."),
        ("sports-day", "What a sports day! Every class gave it their all. Photos of the races are in the gallery."),
        ("year6-residential", "Year 6 are off on their residential trip to the Peak District. Updates to follow!"),
        ("nativity", "Rehearsals for the Key Stage 1 nativity are in full swing. Tickets go on sale on Monday."),
        ("parents-evening", "Parents evening bookings are now open. Please book a slot with your child's class teacher."),
    ];

    private static readonly string[] DemoAuthors =
    [
        "Claire Whitfield", "Dan Osei", "Priya Raman", "Tom Bradshaw", "Aisha Begum", "Gemma Lloyd", "Mark Ferreira",
        "Sophie Turner-Hall", "Kwame Mensah", "Laura Jenkins", "Neil Harper", "Zofia Nowak", "Rachel Dunmore", "Imran Qureshi",
    ];

    /// <summary>Adds the demo school's page and one post per demo feed key (posted an hour before now).</summary>
    public SimulatedDemoSchool AddDemoSchool(string? pageId = null, string? accessToken = null)
    {
        var page = AddPage(DemoSchoolName, pageId, accessToken);
        var postedAt = _clock.GetUtcNow() - TimeSpan.FromHours(1);
        var posts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, message) in DemoPosts)
        {
            posts[key] = AddPost(page.Id, message, postedAt);
            postedAt += TimeSpan.FromMinutes(1);
        }

        return new SimulatedDemoSchool(page, posts);
    }

    /// <summary>
    /// Posts the feed's comments on the school's posts, each after its delay from now by the simulator's clock
    /// (a post key the school lacks gets a new post). Returns at once; the replay runs until done or cancelled.
    /// </summary>
    public DemoReplay StartDemoReplay(SimulatedDemoSchool school, IReadOnlyList<DemoComment> feed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(school);
        return DemoReplay.Start(_clock, feed, school.PostIds, message => AddPost(school.Page.Id, message),
            (postId, text, author) => AddComment(postId, text, author), DemoAuthors, cancellationToken);
    }
}

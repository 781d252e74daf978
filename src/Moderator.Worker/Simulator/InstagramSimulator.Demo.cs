namespace Moderator.Worker.Simulator;

// The demo: the fictional school's Instagram account, whose posts receive the Instagram demo feed over the first minute.
public sealed partial class InstagramSimulator
{
    public const string DemoUsername = "oakfieldprimary";

    private static readonly (string Key, string Caption)[] DemoMedia =
    [
        ("autumn-walk", "Reception class on their autumn nature walk, collecting conkers and leaves for our display."),
        ("book-week", "Book Week costumes! So many brilliant characters in the hall this morning."),
        ("football-final", "Our Year 5/6 football team reached the district final. Thank you to everyone who came to cheer."),
        ("science-fair", "Science fair projects are up in the library. Come and see them at pick-up this week."),
        ("christmas-fair", "The PTA Christmas fair is on Saturday 6th December, 11am to 2pm. Stalls, raffle and Santa's grotto."),
        ("new-library", "Our refurbished library is open! Thank you to the families who donated books."),
    ];

    private static readonly string[] DemoUsernames =
    [
        "claire.whitfield_", "dan_osei84", "priya.raman.mum", "tombradshaw", "aisha.begum.k", "gemmalloyd_art", "markferreira7",
        "sophie.th", "kwame.mensah", "laurajenkins_x", "neil.harper.runs", "zofia.nowak", "rach.dunmore", "imranq_family",
    ];

    /// <summary>Adds the demo school's Instagram account and one media per demo feed key (published an hour before now).</summary>
    public SimulatedDemoSchool AddDemoAccount(string? accountId = null, string? accessToken = null)
    {
        var account = AddAccount(DemoUsername, accountId, accessToken);
        var publishedAt = _clock.GetUtcNow() - TimeSpan.FromHours(1);
        var media = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, caption) in DemoMedia)
        {
            media[key] = AddMedia(account.Id, caption, publishedAt);
            publishedAt += TimeSpan.FromMinutes(1);
        }

        return new SimulatedDemoSchool(account, media);
    }

    /// <summary>
    /// Posts the feed's comments on the account's media, each after its delay from now by the simulator's clock (a key
    /// the account lacks gets a new media). Returns at once; the replay runs until done or cancelled.
    /// </summary>
    public DemoReplay StartDemoReplay(SimulatedDemoSchool school, IReadOnlyList<DemoComment> feed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(school);
        return DemoReplay.Start(_clock, feed, school.PostIds, caption => AddMedia(school.Page.Id, caption),
            (mediaId, text, username) => AddComment(mediaId, text, username), DemoUsernames, cancellationToken);
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Moderator.Admin.Tests.Support;
using Moderator.Core.Workflow;
using Moderator.Model;
using static Microsoft.Playwright.Assertions;

namespace Moderator.Admin.Tests;

/// <summary>
/// Takes the README's screenshots from demo data: a week of comments on a school page, some reviewed, hidden and
/// escalated, with the platform confirming hides (a stand-in platform that accepts every action).
/// </summary>
public sealed class ScreenshotTests(ScreenshotTests.DemoFixture fixture) : IClassFixture<ScreenshotTests.DemoFixture>
{
    [Fact]
    public async Task Screenshots_of_the_queue_item_page_escalation_desk_and_dashboard_are_saved_for_the_readme()
    {
        var folder = BrowserFixture.ScreenshotFolder();
        var a = fixture.World.A;

        var moderator = await fixture.PageAsync(a.Usernames["moderator2"]);
        await moderator.GotoAsync("/Queue");
        await Expect(moderator.Locator("#queue tr.overdue").First).ToBeVisibleAsync();
        await Shoot(moderator, folder, "queue.png");

        await moderator.GotoAsync($"/Queue/Item/{fixture.ItemCaseId}");
        await Expect(moderator.Locator("#comment-text mark").First).ToBeVisibleAsync();
        await Shoot(moderator, folder, "item.png");

        var phone = await fixture.PageAsync(a.Usernames["moderator1"], width: 390, height: 844);
        await phone.GotoAsync("/Queue");
        await Shoot(phone, folder, "queue-phone.png");

        var dsl = await fixture.PageAsync(a.Usernames["dsl"]);
        await dsl.GotoAsync("/Escalations");
        await Expect(dsl.Locator("#new-escalations tr[data-escalation]").First).ToBeVisibleAsync();
        await Shoot(dsl, folder, "escalations.png");

        await dsl.GotoAsync("/Dashboard?days=14");
        await Expect(dsl.Locator("#hide-median")).Not.ToHaveTextAsync("no data yet");
        await Shoot(dsl, folder, "dashboard.png", fullPage: true);

        foreach (var name in new[] { "queue.png", "item.png", "queue-phone.png", "escalations.png", "dashboard.png" })
        {
            var size = new FileInfo(Path.Combine(folder, name)).Length;
            Assert.InRange(size, 5_000, 400_000);
        }
    }

    private static async Task Shoot(IPage page, string folder, string name, bool fullPage = false) =>
        _ = await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = fullPage, Animations = ScreenshotAnimations.Disabled });

    /// <summary>Demo school "Oakfield" with ten days of comments.</summary>
    public sealed class DemoFixture : BrowserFixture
    {
        public DemoFixture()
            : base("oakfield", "riverside")
        {
        }

        public Guid ItemCaseId { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var a = World.A;
            var now = DateTimeOffset.UtcNow;
            var samples = new (string Text, Verdict Verdict, Category Category, string? Matched, string Author, string Post)[]
            {
                ("Lovely photos from the harvest festival, thank you!", Verdict.Allow, Category.Spam, null, "p1", "harvest"),
                ("Can we have the dates for the Year 6 residential please?", Verdict.Allow, Category.Spam, null, "p2", "trip"),
                ("Homework this term has been far too much, please rethink it", Verdict.Review, Category.Abuse, null, "p3", "homework"),
                ("Free tablets for every parent! Claim yours at bit.ly/free-tabs-now", Verdict.Review, Category.Spam, "bit.ly/free-tabs-now", "spam1", "harvest"),
                ("Well done Jayden Smith-Okafor in 4B for the spelling award!", Verdict.Hide, Category.PupilIdentification, "Jayden Smith-Okafor in 4B", "p4", "awards"),
                ("The PE teacher is an absolute joke, sack him", Verdict.Review, Category.Abuse, "absolute joke", "p5", "sports"),
                ("this fundraiser is a f***ing rip-off", Verdict.Hide, Category.Offensive, "f***ing", "p5", "fundraiser"),
                ("hey sweetie, message me privately, how old are you?", Verdict.HideAndEscalate, Category.Safeguarding, "message me privately, how old are you?", "x9", "sports"),
                ("Great concert last night, the choir was wonderful", Verdict.Allow, Category.Spam, null, "p6", "concert"),
                ("people like them don't belong at this school", Verdict.Hide, Category.Hate, "don't belong at this school", "x7", "awards"),
            };

            var platform = new AcceptingPlatform();
            var escalations = new List<Guid>();
            for (var day = 9; day >= 0; day--)
            {
                for (var i = 0; i < samples.Length; i++)
                {
                    if ((i + day) % 3 == 0 && samples[i].Verdict != Verdict.Allow && day > 1)
                    {
                        continue;
                    }

                    var at = now.AddDays(-day).AddHours(-(i % 5)).AddMinutes(-i * 7);
                    var s = samples[i];
                    var result = await World.CommentAsync(a, s.Text, s.Verdict, s.Category, s.Matched, s.Author, $"{s.Post}-{day}", at: at);
                    if (result.OutboxIds.Count > 0)
                    {
                        var confirmedAt = at.AddSeconds(20 + (i * 9) + (day * 4));
                        await new OutboxDispatcher(DataSource, new FixedClock(confirmedAt), platform, platform, Options.Create(new OutboxOptions()), OutboxJitter.Random, NullLogger<OutboxDispatcher>.Instance).DispatchAsync("demo");
                    }

                    if (result.EscalationId is { } escalation)
                    {
                        escalations.Add(escalation);
                    }

                    if (result.ReviewCaseId is { } caseId && day >= 3)
                    {
                        var reviews = new Reviews(DataSource, new FixedClock(at.AddMinutes(30 + (i * 11))), Options.Create(new ReviewOptions()), NullLogger<Reviews>.Instance);
                        var decision = s.Verdict == Verdict.Review && s.Category == Category.Abuse && s.Matched is null ? Decision.KeepVisible : Decision.Hide;
                        await reviews.DecideAsync(caseId, day % 2 == 0 ? a.Moderator1Id : a.Moderator2Id, decision);
                        if (day >= 5)
                        {
                            reviews = new Reviews(DataSource, new FixedClock(at.AddMinutes(90 + (i * 13))), Options.Create(new ReviewOptions()), NullLogger<Reviews>.Instance);
                            await reviews.DecideAsync(caseId, day % 2 == 0 ? a.Moderator2Id : a.Moderator1Id, decision);
                        }
                    }

                    if (day == 0 && i == 5)
                    {
                        ItemCaseId = result.ReviewCaseId!.Value;
                    }
                }
            }

            for (var e = 0; e < escalations.Count - 2; e++)
            {
                var opened = (await new Escalations(DataSource, TimeProvider.System, Options.Create(new RetentionOptions()), NullLogger<Escalations>.Instance).GetAsync(escalations[e], a.SafeguardingLeadId)).OpenedAt;
                var ack = new Escalations(DataSource, new FixedClock(opened.AddMinutes(4 + (e * 6))), Options.Create(new RetentionOptions()), NullLogger<Escalations>.Instance);
                await ack.AcknowledgeAsync(escalations[e], e % 2 == 0 ? a.SafeguardingLeadId : a.DeputyId);
            }
        }
    }

    private sealed class AcceptingPlatform : IPlatformActions, INotificationSender
    {
        public Task ExecuteAsync(PlatformActionRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SendAsync(NotificationRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

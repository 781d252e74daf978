using System.Net;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Moderator.Admin.Tests.Support;
using Moderator.Core;
using Moderator.Core.Workflow;
using Moderator.Model;

namespace Moderator.Admin.Tests;

/// <summary>
/// Every endpoint of the running app × every kind of person × own or other school. Endpoints are read from the
/// app's EndpointDataSource and handlers from the compiled pages, so a new page or handler without a declared
/// rule fails this test instead of slipping through.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.Fixture fixture) : IClassFixture<AuthorizationMatrixTests.Fixture>
{
    /// <summary>One kind of visitor: their roles and which school they belong to (null = none / anonymous).</summary>
    public sealed record Person(string Key, string? Username, string? School, StaffRole[] Roles, bool MustChangePassword = false)
    {
        public bool SignedIn => Username is not null;

        public bool Staff => SignedIn && !MustChangePassword;

        public bool Has(StaffRole role) => Staff && Roles.Contains(role);

        public bool InA => School == "A";

        public override string ToString() => Key;
    }

    /// <summary>Who may use each page (the declared rule the app must match). School A owns every sample entity.</summary>
    private static readonly Dictionary<string, Func<Person, bool>> Rules = new(StringComparer.Ordinal)
    {
        ["/Account/SignIn"] = _ => true,
        ["/Account/External"] = _ => true,
        ["/Status"] = _ => true,
        ["/Account/ChangePassword"] = p => p.SignedIn,
        ["/Account/SignOut"] = p => p.SignedIn,
        ["/Index"] = p => p.Staff,
        ["/Dashboard/Index"] = p => p.Staff,
        ["/Queue/Index"] = p => p.Has(StaffRole.Moderator),
        ["/Queue/Item"] = p => p.Has(StaffRole.Moderator) && p.InA && (p.Key == "A.moderator" || p.Has(StaffRole.SafeguardingLead)),
        ["/Escalations/Index"] = p => p.Has(StaffRole.SafeguardingLead) || p.Has(StaffRole.DeputySafeguardingLead),
        ["/Escalations/Detail"] = p => (p.Has(StaffRole.SafeguardingLead) || p.Has(StaffRole.DeputySafeguardingLead)) && p.InA,
        ["/Escalations/Evidence"] = p => (p.Has(StaffRole.SafeguardingLead) || p.Has(StaffRole.DeputySafeguardingLead)) && p.InA,
        ["/Admin/Pages/Index"] = p => p.Has(StaffRole.Administrator),
        ["/Admin/Pages/Register"] = p => p.Has(StaffRole.Administrator),
        ["/Admin/Pages/Detail"] = p => p.Has(StaffRole.Administrator) && p.InA,
        ["/Admin/Staff/Index"] = p => p.Has(StaffRole.Administrator),
        ["/Admin/Schools/Index"] = p => p.Has(StaffRole.Administrator),

        // Lists only the administrator's own schools; an upload for another school is refused (RosterAdministrationTests).
        ["/Admin/Roster/Index"] = p => p.Has(StaffRole.Administrator),
        ["/Audit/Index"] = p => p.Has(StaffRole.Administrator) || p.Has(StaffRole.SafeguardingLead) || p.Has(StaffRole.DeputySafeguardingLead),
    };

    /// <summary>Endpoints that are not Razor Pages, open to everyone by design, with the answer a GET gets.</summary>
    private static readonly Dictionary<string, (string Url, HttpStatusCode Status)> OpenEndpoints = new(StringComparer.Ordinal)
    {
        ["health/live"] = ("/health/live", HttpStatusCode.OK),
        ["health/ready"] = ("/health/ready", HttpStatusCode.OK),
        ["assets/{name}"] = ("/assets/site.css", HttpStatusCode.OK),
    };

    /// <summary>
    /// Machine endpoints gated by a shared secret, not by a person's role (Meta's verify token and signature): no
    /// signed-in role opens them, and without the secret everyone is refused.
    /// </summary>
    private static readonly Dictionary<string, string> SecretGatedEndpoints = new(StringComparer.Ordinal)
    {
        ["webhooks/meta"] = "/webhooks/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1",
    };

    [Fact]
    public async Task Every_endpoint_answers_every_person_as_its_rule_says()
    {
        var failures = new List<string>();
        var checkedRequests = 0;
        var pages = await fixture.PagesAsync();
        foreach (var endpoint in fixture.Admin.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var raw = endpoint.RoutePattern.RawText ?? string.Empty;
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is null && !OpenEndpoints.ContainsKey(raw.Trim('/')) && !SecretGatedEndpoints.ContainsKey(raw.Trim('/')))
            {
                failures.Add($"Endpoint '{raw}' has no declared rule in this test.");
            }
        }

        foreach (var (url, status) in OpenEndpoints.Values)
        {
            foreach (var person in fixture.People)
            {
                var response = await fixture.Clients[person.Key].GetAsync(new Uri(url, UriKind.Relative));
                checkedRequests++;
                if (response.StatusCode != status)
                {
                    failures.Add($"GET {url} as {person}: {(int)response.StatusCode}, expected {(int)status}");
                }
            }
        }

        foreach (var url in SecretGatedEndpoints.Values)
        {
            foreach (var person in fixture.People)
            {
                var response = await fixture.Clients[person.Key].GetAsync(new Uri(url, UriKind.Relative));
                checkedRequests++;
                if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden))
                {
                    failures.Add($"GET {url} as {person}: {(int)response.StatusCode}, expected 403 or 404 without the secret");
                }
            }
        }

        foreach (var page in pages)
        {
            if (!Rules.TryGetValue(page.Path, out var rule))
            {
                failures.Add($"Page {page.Path} has no declared rule in this test: add one.");
                continue;
            }

            foreach (var handler in page.Handlers)
            {
                foreach (var person in fixture.People)
                {
                    var client = fixture.Clients[person.Key];
                    var allowed = rule(person);
                    var url = page.Url + (handler.Name is null ? string.Empty : $"?handler={handler.Name}");
                    HttpResponseMessage response;
                    if (handler.HttpMethod == "GET")
                    {
                        response = await client.GetAsync(new Uri(url, UriKind.Relative));
                    }
                    else if (allowed)
                    {
                        // Allowed people are not made to change anything here; their POST must still need a token.
                        if (page.Path is "/Status" or "/Account/SignIn" or "/Account/External")
                        {
                            continue;
                        }

                        response = await client.PostAsync(new Uri(url, UriKind.Relative), new FormUrlEncodedContent(Fixture.SampleFields(fixture)));
                        checkedRequests++;
                        if (response.StatusCode != HttpStatusCode.BadRequest)
                        {
                            failures.Add($"POST {url} without an antiforgery token as {person}: {(int)response.StatusCode}, expected 400");
                        }

                        continue;
                    }
                    else
                    {
                        var fields = Fixture.SampleFields(fixture);
                        fields["__rvt"] = await AdminClient.TokenAsync(client, "/Account/SignIn");
                        response = await client.PostAsync(new Uri(url, UriKind.Relative), new FormUrlEncodedContent(fields));
                    }

                    checkedRequests++;
                    var expected = Expected(page.Path, person, allowed);
                    var actual = Describe(response);
                    if (actual != expected)
                    {
                        failures.Add($"{handler.HttpMethod} {url} as {person}: {actual}, expected {expected}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedRequests} checks failed:\n" + string.Join('\n', failures));
        Assert.True(checkedRequests > 300, $"only {checkedRequests} requests were checked");
    }

    private static string Expected(string path, Person person, bool allowed) =>
        path is "/Status" or "/Account/External" ? "404"
        : allowed ? "allowed"
        : !person.SignedIn ? "sign-in"
        : person.MustChangePassword ? "change-password"
        : "403";

    private static string Describe(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.Redirect when response.Headers.Location?.OriginalString.StartsWith("/Account/SignIn", StringComparison.Ordinal) == true
                                     || response.Headers.Location?.OriginalString.Contains("/Account/SignIn", StringComparison.Ordinal) == true => "sign-in",
        HttpStatusCode.Redirect when response.Headers.Location?.OriginalString == "/Account/ChangePassword" => "change-password",
        HttpStatusCode.Forbidden => "403",
        HttpStatusCode.NotFound => "404",
        HttpStatusCode.OK => "allowed",
        _ => ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public sealed record HandlerInfo(string HttpMethod, string? Name);

    public sealed record PageInfo(string Path, string Url, IReadOnlyList<HandlerInfo> Handlers);

    /// <summary>Two schools, one case, one escalation, and a signed-in client for every kind of person.</summary>
    public sealed class Fixture : AdminFixture
    {
        public IReadOnlyList<Person> People { get; private set; } = [];

        public Dictionary<string, HttpClient> Clients { get; } = new(StringComparer.Ordinal);

        public Guid CaseId { get; private set; }

        public Guid EscalationId { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            CaseId = (await World.CommentAsync(World.A, "a comment to review", Verdict.Review)).ReviewCaseId!.Value;
            EscalationId = (await World.CommentAsync(World.A, "a safeguarding concern", Verdict.HideAndEscalate, Category.Safeguarding)).EscalationId!.Value;
            var newcomer = "newcomer" + Guid.NewGuid().ToString("N")[..6];
            await World.Staff(DataSource).CreateAsync(new NewStaffMember(World.A.TrustId, "New Comer", newcomer, newcomer + "@example.school", [StaffRole.Moderator, StaffRole.Administrator], [World.A.SchoolId], World.PasswordHash, MustChangePassword: true), Actor.System);
            People =
            [
                new("anonymous", null, null, []),
                new("A.moderator", World.A.Usernames["moderator1"], "A", [StaffRole.Moderator]),
                new("A.dsl", World.A.Usernames["dsl"], "A", [StaffRole.SafeguardingLead, StaffRole.Moderator]),
                new("A.deputy", World.A.Usernames["deputy"], "A", [StaffRole.DeputySafeguardingLead]),
                new("A.admin", World.A.Usernames["admin"], "A", [StaffRole.Administrator]),
                new("A.newcomer-must-change-password", newcomer, "A", [StaffRole.Moderator, StaffRole.Administrator], MustChangePassword: true),
                new("trust.lead", World.A.Usernames["trustlead"], null, [StaffRole.SafeguardingLead]),
                new("B.moderator", World.B.Usernames["moderator1"], "B", [StaffRole.Moderator]),
                new("B.dsl", World.B.Usernames["dsl"], "B", [StaffRole.SafeguardingLead, StaffRole.Moderator]),
                new("B.deputy", World.B.Usernames["deputy"], "B", [StaffRole.DeputySafeguardingLead]),
                new("B.admin", World.B.Usernames["admin"], "B", [StaffRole.Administrator]),
            ];
            foreach (var person in People)
            {
                Clients[person.Key] = person.Username is null ? AdminClient.Anonymous(Admin) : await AdminClient.SignedInAsync(Admin, person.Username);
            }
        }

        public override async Task DisposeAsync()
        {
            foreach (var client in Clients.Values)
            {
                client.Dispose();
            }

            await base.DisposeAsync();
        }

        /// <summary>Form fields every handler may read, all pointing at school A's entities.</summary>
        public static Dictionary<string, string> SampleFields(Fixture f) => new(StringComparer.Ordinal)
        {
            ["caseId"] = f.CaseId.ToString(),
            ["staffId"] = f.World.A.Moderator1Id.ToString(),
            ["alertId"] = Guid.NewGuid().ToString(),
            ["decision"] = nameof(Decision.KeepVisible),
            ["action"] = nameof(PlatformActionKind.Hide),
            ["role"] = nameof(ApprovalRole.LineManager),
            ["approverName"] = "Someone",
            ["minutes"] = "5",
            ["Kind"] = nameof(OutcomeKind.NoFurtherAction),
            ["SchoolId"] = f.World.A.SchoolId.ToString(),
            ["SchoolIds"] = f.World.A.SchoolId.ToString(),
            ["Platform"] = nameof(Platform.Facebook),
            ["Name"] = "Matrix page",
            ["ExternalId"] = "matrix-" + Guid.NewGuid().ToString("N")[..8],
            ["PollMinutes"] = "5",
            ["DisplayName"] = "Matrix Person",
            ["Username"] = "matrix" + Guid.NewGuid().ToString("N")[..8],
            ["Email"] = Guid.NewGuid().ToString("N")[..8] + "@example.school",
            ["Roles"] = nameof(StaffRole.Moderator),
            ["schoolId"] = f.World.A.SchoolId.ToString(),
            ["reviewTargetHours"] = "12",
            ["ackInHoursMinutes"] = "10",
            ["ackOutsideMinutes"] = "45",
            ["dayStart"] = "08:30",
            ["dayEnd"] = "15:30",
        };

        /// <summary>Every Razor Page with its handlers (from the compiled pages) and a URL filled with school A's sample ids.</summary>
        public async Task<IReadOnlyList<PageInfo>> PagesAsync()
        {
            var loader = Admin.Services.GetRequiredService<PageLoader>();
            var result = new Dictionary<string, PageInfo>(StringComparer.Ordinal);
            foreach (var endpoint in Admin.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
            {
                if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not { } descriptor || result.ContainsKey(descriptor.ViewEnginePath))
                {
                    continue;
                }

                var compiled = await loader.LoadAsync(descriptor, endpoint.Metadata);
                var handlers = compiled.HandlerMethods.Select(h => new HandlerInfo(h.HttpMethod.ToUpperInvariant(), h.Name)).Distinct().ToList();
                var url = "/" + (descriptor.AttributeRouteInfo?.Template ?? descriptor.ViewEnginePath.TrimStart('/'));
                url = url.Replace("{id:guid}", descriptor.ViewEnginePath switch
                {
                    "/Queue/Item" => CaseId.ToString(),
                    "/Escalations/Detail" or "/Escalations/Evidence" => EscalationId.ToString(),
                    "/Admin/Pages/Detail" => World.A.PageId.ToString(),
                    _ => Guid.NewGuid().ToString(),
                }, StringComparison.Ordinal).Replace("{code:int}", "404", StringComparison.Ordinal);
                if (url.EndsWith("/Index", StringComparison.Ordinal))
                {
                    url = url[..^"/Index".Length];
                }

                result[descriptor.ViewEnginePath] = new PageInfo(descriptor.ViewEnginePath, url.Length == 0 ? "/" : url, handlers);
            }

            return [.. result.Values.OrderBy(p => p.Path, StringComparer.Ordinal)];
        }
    }
}

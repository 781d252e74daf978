using System.IO.Compression;
using System.Net;
using Moderator.Admin.Tests.Support;
using Moderator.Model;

namespace Moderator.Admin.Tests;

public sealed class EscalationDeskTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private readonly World _world = fixture.World;

    private static Dictionary<string, string> Outcome(string kind, string? reference = null) => new()
    {
        ["Kind"] = kind,
        ["Reference"] = reference ?? string.Empty,
        ["Notes"] = "Reported through the online form.",
    };

    [Fact]
    public async Task The_dsl_acknowledges_records_a_ceop_report_and_closes()
    {
        var result = await _world.CommentAsync(_world.A, "dm me sweetie how old are you", Verdict.HideAndEscalate, Category.Safeguarding, matched: "how old are you");
        var url = $"/Escalations/Detail/{result.EscalationId}";
        using var dsl = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["dsl"]);

        var desk = await dsl.GetStringAsync(new Uri("/Escalations", UriKind.Relative));
        Assert.Contains(result.EscalationId!.Value.ToString(), desk, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await AdminClient.PostFormAsync(dsl, url + "?handler=Acknowledge", new Dictionary<string, string>(), url)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AdminClient.PostFormAsync(dsl, url + "?handler=Outcome", Outcome("CeopReport", "CEOP-1234"), url)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AdminClient.PostFormAsync(dsl, url + "?handler=Close", new Dictionary<string, string>(), url)).StatusCode);

        var page = await dsl.GetStringAsync(new Uri(url, UriKind.Relative));
        Assert.Contains("id=\"escalation-status\">Closed", page, StringComparison.Ordinal);
        Assert.Contains("Report to CEOP", page, StringComparison.Ordinal);
        Assert.Contains("CEOP-1234", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deputy_records_outcomes_but_cannot_close()
    {
        var result = await _world.CommentAsync(_world.A, "I'll be waiting outside the gates for him", Verdict.HideAndEscalate, Category.Safeguarding);
        var url = $"/Escalations/Detail/{result.EscalationId}";
        using var deputy = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["deputy"]);

        await AdminClient.PostFormAsync(deputy, url + "?handler=Acknowledge", new Dictionary<string, string>(), url);
        await AdminClient.PostFormAsync(deputy, url + "?handler=Outcome", Outcome("Police", "PR-42"), url);
        var page = await deputy.GetStringAsync(new Uri(url, UriKind.Relative));
        Assert.Contains("Referred to the police", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"close-escalation\"", page, StringComparison.Ordinal);

        var close = await AdminClient.PostFormAsync(deputy, url + "?handler=Close", new Dictionary<string, string>(), url);
        Assert.Equal(HttpStatusCode.Forbidden, close.StatusCode);
    }

    [Fact]
    public async Task A_police_referral_without_a_reference_is_refused_with_the_reason_shown()
    {
        var result = await _world.CommentAsync(_world.A, "threat to hurt a pupil", Verdict.HideAndEscalate, Category.Safeguarding);
        var url = $"/Escalations/Detail/{result.EscalationId}";
        using var dsl = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["dsl"]);

        var response = await AdminClient.PostFormAsync(dsl, url + "?handler=Outcome", Outcome("Police"), url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await dsl.GetStringAsync(response.Headers.Location!);
        Assert.Contains("police reference number", page, StringComparison.Ordinal);
        Assert.Contains("Nothing recorded yet.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dsl_of_another_school_and_a_moderator_are_refused()
    {
        var result = await _world.CommentAsync(_world.A, "private concern", Verdict.HideAndEscalate, Category.Safeguarding);
        using var otherDsl = await AdminClient.SignedInAsync(fixture.Admin, _world.B.Usernames["dsl"]);
        using var moderator = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["moderator1"]);

        Assert.Equal(HttpStatusCode.Forbidden, (await otherDsl.GetAsync(new Uri($"/Escalations/Detail/{result.EscalationId}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherDsl.GetAsync(new Uri($"/Escalations/Evidence/{result.EscalationId}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.GetAsync(new Uri("/Escalations", UriKind.Relative))).StatusCode);
        var desk = await otherDsl.GetStringAsync(new Uri("/Escalations", UriKind.Relative));
        Assert.DoesNotContain(result.EscalationId!.Value.ToString(), desk, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_evidence_pack_holds_the_text_with_its_checksum_and_the_chronology()
    {
        const string text = "what's your snap, I can get you free stuff";
        var result = await _world.CommentAsync(_world.A, text, Verdict.HideAndEscalate, Category.Safeguarding);
        using var dsl = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["dsl"]);
        var url = $"/Escalations/Detail/{result.EscalationId}";
        await AdminClient.PostFormAsync(dsl, url + "?handler=Outcome", Outcome("CeopReport", "CEOP-77"), url);

        var response = await dsl.GetAsync(new Uri($"/Escalations/Evidence/{result.EscalationId}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        await using var zipStream = await response.Content.ReadAsStreamAsync();
        using var zip = new ZipArchive(zipStream);
        using var reader = new StreamReader(zip.GetEntry("evidence.json")!.Open());
        var json = await reader.ReadToEndAsync();
        var expectedSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        Assert.Contains(expectedSha, json, StringComparison.Ordinal);
        Assert.Contains("CEOP-77", json, StringComparison.Ordinal);
        Assert.NotNull(zip.GetEntry("summary.md"));
        await using var audited = fixture.DataSource.CreateCommand($"SELECT count(*) FROM audit_log WHERE action = 'escalation.evidence_exported' AND entity_id = '{result.EscalationId}' AND actor_staff_id = '{_world.A.SafeguardingLeadId}'");
        Assert.Equal(1L, await audited.ExecuteScalarAsync());
    }
}

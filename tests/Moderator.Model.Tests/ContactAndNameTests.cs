using System.Text;
using Moderator.Model.Detection;
using Moderator.Model.Text;

namespace Moderator.Model.Tests;

public sealed class ContactDetectorTests
{
    internal static readonly double ReviewThreshold = Moderator.Model.Policy.ModerationPolicy.Default.ThresholdsFor(Category.PupilIdentification).Review;

    private static List<DetectorHit> Contacts(string text)
    {
        var result = new DetectionResult();
        ContactDetector.Detect(TextNormaliser.Normalise(text), result);
        return result.Hits;
    }

    private static string Covered(string text, DetectorHit hit) => text.Substring(hit.Spans[0].Start, hit.Spans[0].Length);

    [Theory]
    [InlineData("call his mum on 07700 900123 tonight", "07700 900123")]
    [InlineData("ring +44 7700 900123", "+44 7700 900123")]
    [InlineData("number is +44 (0)7700-900-123 ok", "+44 (0)7700-900-123")]
    [InlineData("office (020) 7946 0958", "(020) 7946 0958")]
    [InlineData("landline 0113 496 0000.", "0113 496 0000")]
    [InlineData("text 07700900123", "07700900123")]
    [InlineData("whatsapp 0044 7700 900 123", "0044 7700 900 123")]
    [InlineData("call 07700.900.123", "07700.900.123")]
    [InlineData("０７７００ ９００１２３", "０７７００ ９００１２３")]
    public void Finds_UK_phone_numbers_in_every_common_format(string text, string number)
    {
        var hit = Assert.Single(Contacts(text), h => h.Explanation.Contains("phone", StringComparison.Ordinal));
        Assert.Equal(number, Covered(text, hit));
        Assert.True(hit.Score >= 0.7);
    }

    [Theory]
    [InlineData("Sports day is on 12/07/2024 at 10am")]
    [InlineData("Raised £1,250 for charity in 2024")]
    [InlineData("Call 999 in an emergency")]
    [InlineData("Room 101 and 102 are closed")]
    [InlineData("Well done 6W and 4B, 28 out of 30!")]
    [InlineData("Nearly 20000 steps on the sponsored walk")]
    public void Ignores_numbers_that_are_not_contact_details(string text)
    {
        Assert.DoesNotContain(Contacts(text), h => h.Score >= ReviewThreshold);
    }

    [Theory]
    [InlineData("email me at jane.doe@example.com please", "jane.doe@example.com")]
    [InlineData("his email is kid_123 (at) gmail.com", "kid_123 (at) gmail.com")]
    [InlineData("write to SOMEONE@School-Mail.co.uk", "SOMEONE@School-Mail.co.uk")]
    public void Finds_email_addresses(string text, string email)
    {
        var hit = Assert.Single(Contacts(text), h => h.Explanation.Contains("e-mail", StringComparison.Ordinal));
        Assert.Equal(email, Covered(text, hit));
    }

    [Theory]
    [InlineData("she lives near LS6 2AB", "LS6 2AB")]
    [InlineData("post it to SW1A 1AA", "SW1A 1AA")]
    [InlineData("m1 1ae is the postcode", "m1 1ae")]
    [InlineData("B33 8TH", "B33 8TH")]
    public void Finds_UK_postcodes(string text, string postcode)
    {
        var hit = Assert.Single(Contacts(text), h => h.Explanation.Contains("postcode", StringComparison.Ordinal));
        Assert.Equal(postcode, Covered(text, hit));
    }

    [Fact]
    public void Rejects_postcode_shapes_with_unknown_areas()
    {
        Assert.DoesNotContain(Contacts("code QQ1 2AB and XY9 9ZZ"), h => h.Explanation.Contains("postcode", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("she lives at 14 Park Road", "14 Park Road")]
    [InlineData("he's at 3 Elm Grove now", "3 Elm Grove")]
    [InlineData("number 221b baker street", "221b baker street")]
    [InlineData("they moved to flat 3", "flat 3")]
    [InlineData("Apartment 12b upstairs", "Apartment 12b")]
    [InlineData("she lives at 22 Church St. Come and get her", "22 Church St")]
    [InlineData("he's at 4 Mill St round the back", "4 Mill St")]
    [InlineData("drop it at 7 Front Row by the church", "7 Front Row")]
    [InlineData("we're at 12 Clarence Place now", "12 Clarence Place")]
    public void Finds_street_addresses_and_flats(string text, string address)
    {
        var hit = Assert.Single(Contacts(text), h => h.Explanation.Contains("address", StringComparison.Ordinal) || h.Explanation.Contains("flat", StringComparison.Ordinal));
        Assert.Equal(address, Covered(text, hit));
    }

    [Theory]
    [InlineData("we walked 3 miles down the road")]
    [InlineData("in 3 days the park opens")]
    [InlineData("the flat 3rd place finish")]
    [InlineData("3-1 win against St Mary's, well played lads")]
    [InlineData("we drew 2:2 with the lads from St John Fisher")]
    [InlineData("year 4 sang 2 songs at St Peter's church")]
    [InlineData("So proud of Amelia in 4B, first place in the spelling bee")]
    [InlineData("Well done Year 6, joint first place at the cross country")]
    [InlineData("That's our Jayden in 3C, front row with the trophy")]
    public void Ignores_numbers_near_street_words_that_are_not_addresses(string text)
    {
        Assert.DoesNotContain(Contacts(text), h => h.Explanation.Contains("address", StringComparison.Ordinal) || h.Explanation.Contains("flat", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("her DOB is 03/04/2016")]
    [InlineData("born on 3rd March 2017")]
    [InlineData("date of birth: 12-11-15")]
    public void Finds_dates_of_birth(string text)
    {
        Assert.Contains(Contacts(text), h => h.Explanation.Contains("date of birth", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("she's 8")]
    [InlineData("he is 7 years old")]
    [InlineData("my son is 6 and loves it")]
    [InlineData("my daughter's nine")]
    [InlineData("a 10 year old boy")]
    [InlineData("aged 11")]
    public void Finds_childrens_ages(string text)
    {
        Assert.Contains(Contacts(text), h => h.Explanation.Contains("age", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("he is 5 minutes late again")]
    [InlineData("she's 40 this year")]
    [InlineData("he is 2 points ahead")]
    [InlineData("turns 3 pm")]
    public void Ignores_numbers_that_are_not_childrens_ages(string text)
    {
        Assert.DoesNotContain(Contacts(text), h => h.Explanation.Contains("age", StringComparison.Ordinal));
    }
}

public sealed class PupilNameDetectorTests
{
    private static DetectionResult Detect(string text, IPupilRoster? roster = null)
    {
        var result = new DetectionResult();
        var normalised = TextNormaliser.Normalise(text);
        ContactDetector.Detect(normalised, result);
        PupilNameDetector.Detect(normalised, TestModels.Lexicons, roster, result);
        return result;
    }

    [Theory]
    [InlineData("Well done Jayden Smith-Okafor in 4B", "Jayden Smith-Okafor")]
    [InlineData("Siobhan O'Brien in year 3 was brilliant", "Siobhan O'Brien")]
    [InlineData("Lily McDonald is in the photo", "Lily McDonald")]
    [InlineData("Congratulations Ayaan Chaudhry, class 2 star of the week", "Ayaan Chaudhry")]
    [InlineData("Oluwaseun Adeyemi from Year 6 won the race", "Oluwaseun Adeyemi")]
    [InlineData("Zofia Kowalczyk, she's 8, in 6W", "Zofia Kowalczyk")]
    [InlineData("WELL DONE AMELIA JONES YEAR 2", "AMELIA JONES")]
    public void Finds_full_names_in_a_school_context(string text, string name) => AssertFindsFullNameInSchoolContext(text, name);

    private static void AssertNoFullNameAtReview(string text) =>
        Assert.DoesNotContain(Detect(text).Hits, h => h.Detector == PupilNameDetector.Name && h.Score >= ContactDetectorTests.ReviewThreshold);

    private static void AssertFindsFullNameInSchoolContext(string text, string name)
    {
        var hit = Assert.Single(Detect(text).Hits, h => h.Detector == PupilNameDetector.Name);
        Assert.Equal(name, text.Substring(hit.Spans[0].Start, hit.Spans[0].Length));
        Assert.True(hit.Score >= 0.7, $"score {hit.Score}");
    }

    [Theory]
    [InlineData("Well done Jayden in 4B")]
    [InlineData("Thank you Mr Jones and Mrs Patel for the trip, year 5 loved it")]
    [InlineData("Miss Amelia Hughes took the photo in class 3")]
    [InlineData("Happy Christmas from Year 6")]
    [InlineData("Well Done Everyone in Reception")]
    [InlineData("Congratulations Amelia and Jayden from year 2")]
    public void Allows_first_names_alone_and_staff_titles(string text) => AssertNoFullNameAtReview(text);

    [Theory]
    [InlineData("OMG its Chloe Hargreaves from 10H on the news", "Chloe Hargreaves")]
    [InlineData("Ruby Atkinson yr3 read so well today", "Ruby Atkinson")]
    [InlineData("Imogen Hartley-Scott, Y10, brilliant Lady Macbeth", "Imogen Hartley-Scott")]
    [InlineData("Well done Daniel Okoro in 11R for the maths prize", "Daniel Okoro")]
    [InlineData("Sophie Walsh yr12 got into the county squad", "Sophie Walsh")]
    [InlineData("The invitations for Grace Thornton's party are in 4T's book bags", "Grace Thornton's")]
    [InlineData("Jake Holmes read at 10H's assembly", "Jake Holmes")]
    public void Secondary_forms_and_year_groups_are_school_context(string text, string name) => AssertFindsFullNameInSchoolContext(text, name);

    [Theory]
    [InlineData("Sarah Jones ran the 10K for the school roof fund")]
    [InlineData("Peter Hughes raised 12p short of the target, can anyone help")]
    [InlineData("Peter Hughes swam 10m without armbands")]
    [InlineData("Sarah Jones says 11g of sugar a bar is too much")]
    public void Quantities_after_ten_to_thirteen_are_not_forms(string text) => AssertNoFullNameAtReview(text);

    [Theory]
    [InlineData("Bilal Hussain (7 yrs) won the colouring contest", "Bilal Hussain")]
    [InlineData("Maximilian Brandt, 12, please thank him for showing my son around", "Maximilian Brandt")]
    [InlineData("our little Precious Mensah is only 4 and already knows her phonics", "Precious Mensah")]
    [InlineData("Jake Holmes is 9 today!", "Jake Holmes")]
    public void A_childs_age_straight_after_a_full_name_is_school_context(string text, string name) => AssertFindsFullNameInSchoolContext(text, name);

    [Theory]
    [InlineData("Jake Holmes, 9 goals this season and counting")]
    [InlineData("Jake Holmes is 5 minutes away, save him a seat")]
    [InlineData("Jake Holmes, 42, from the parish council opened the fete")]
    public void Numbers_after_a_name_that_are_not_a_childs_age_are_not_school_context(string text) => AssertNoFullNameAtReview(text);

    [Theory]
    [InlineData("Well done Zephyrine Okafor-Drummond in Year 4", "Zephyrine Okafor-Drummond")]
    [InlineData("Tremayne Mensah-Cole, year 9, scored twice", "Tremayne Mensah-Cole")]
    public void A_double_barrelled_surname_marks_an_unfamiliar_first_name_as_a_name(string text, string name) => AssertFindsFullNameInSchoolContext(text, name);

    [Theory]
    [InlineData("Our Gracie-Mai Turner is in the red tutu, Year 1", "Gracie-Mai Turner")]
    [InlineData("Well done Ellie-May O'Connor in 2B", "Ellie-May O'Connor")]
    [InlineData("Lily-Rose Armitage-Hughes, year 3, read beautifully", "Lily-Rose Armitage-Hughes")]
    public void A_hyphenated_given_name_with_a_surname_is_a_full_name(string text, string name) => AssertFindsFullNameInSchoolContext(text, name);

    [Theory]
    [InlineData("Well done Ellie-May in 2B")]
    [InlineData("Year 6 loved the Non-Uniform Day")]
    public void A_hyphenated_given_name_alone_is_not_a_full_name(string text) => AssertNoFullNameAtReview(text);

    [Theory]
    [InlineData("Year 6 loved Alton Towers")]
    [InlineData("Year 4 are off to Burns Night at the village hall")]
    public void An_unfamiliar_capitalised_pair_in_a_school_context_is_below_review(string text) => AssertNoFullNameAtReview(text);

    [Fact]
    public void A_full_name_without_school_context_is_below_review()
    {
        var hit = Assert.Single(Detect("Jayden Smith is a great lad").Hits, h => h.Detector == PupilNameDetector.Name);
        Assert.True(hit.Score < ContactDetectorTests.ReviewThreshold);
    }

    [Fact]
    public void A_roster_name_is_found_whatever_its_case_and_never_stored_plainly()
    {
        var key = Encoding.UTF8.GetBytes("school-secret-key-0123456789");
        var hashes = HashedPupilRoster.HashNames(key, ["Jayden Smith-Okafor", "Siobhán O'Brien"]);
        Assert.All(hashes, h => Assert.Equal(64, h.Length));
        Assert.DoesNotContain(hashes, h => h.Contains("jayden", StringComparison.OrdinalIgnoreCase));

        var roster = new HashedPupilRoster(key, hashes);
        Assert.True(roster.Contains("jayden smith-okafor"));
        var hit = Assert.Single(Detect("i saw jayden smith-okafor at the park", roster).Hits, h => h.Detector == PupilNameDetector.RosterName);
        Assert.True(hit.Score >= 0.9);
        Assert.Contains(Detect("SIOBHAN OBRIEN!!", roster).Hits, h => h.Detector == PupilNameDetector.RosterName);
    }

    [Fact]
    public void A_roster_with_another_schools_key_matches_nothing()
    {
        var hashes = HashedPupilRoster.HashNames(Encoding.UTF8.GetBytes("school-one-key-0123456789"), ["Jayden Smith"]);
        var roster = new HashedPupilRoster(Encoding.UTF8.GetBytes("school-two-key-0123456789"), hashes);
        Assert.False(roster.Contains(HashedPupilRoster.NormaliseName("Jayden Smith")));
    }

    [Theory]
    [InlineData("Jayden  SMITH-Okafor", "jayden smith-okafor")]
    [InlineData("Siobhán O'Brien", "siobhan obrien")]
    [InlineData("  zofia   kowalczyk ", "zofia kowalczyk")]
    public void Names_are_normalised_the_same_way_on_both_sides(string name, string expected)
    {
        Assert.Equal(expected, HashedPupilRoster.NormaliseName(name));
    }
}

public sealed class LinkDetectorTests
{
    private static DetectionResult Detect(string text, ScoringContext? context = null)
    {
        var result = new DetectionResult();
        LinkDetector.Detect(TextNormaliser.Normalise(text), context, result);
        return result;
    }

    [Theory]
    [InlineData("free iPads for parents, click bit.ly/3xYz", 0.9)]
    [InlineData("see https://bit.ly/abc", 0.75)]
    [InlineData("great deals at cheap-stuff.xyz", 0.75)]
    [InlineData("look at www.some-random-site.com/page", 0.5)]
    public void Flags_shortened_unknown_and_money_links(string text, double atLeast)
    {
        var result = Detect(text);
        Assert.True(result.HasLink);
        Assert.True(result.MaxScore(Category.Spam) >= atLeast, $"score {result.MaxScore(Category.Spam)}");
    }

    [Fact]
    public void Trusts_the_schools_own_and_public_service_domains()
    {
        var context = new ScoringContext(SchoolDomains: ["stmarys-primary.org"]);
        Assert.False(Detect("newsletter at https://www.stmarys-primary.org/news", context).HasLink);
        Assert.False(Detect("see www.gov.uk/school-term-dates and oakfield.leeds.sch.uk", context).HasLink);
    }

    [Fact]
    public void Flags_a_link_pretending_to_be_the_school()
    {
        var context = new ScoringContext(SchoolDomains: ["stmarys-primary.org"], SchoolName: "St Mary's Primary");
        var result = Detect("Parents please update your details at stmarys-primary-parents.info", context);
        Assert.True(result.MaxScore(Category.Spam) >= 0.85);
    }

    [Fact]
    public void Does_not_read_email_domains_or_abbreviations_as_links()
    {
        Assert.False(Detect("email office@example.com e.g. for dinners, i.e. soon").HasLink);
    }
}

using Moderator.Model.Detection;
using Moderator.Model.Text;

namespace Moderator.Model.Tests;

public sealed class LexiconDetectorTests
{
    private static DetectionResult Detect(string text, ScoringContext? context = null) =>
        ModerationModel.Detect(TextNormaliser.Normalise(text), TestModels.Lexicons, context);

    private static double Score(string text, Category category) => Detect(text).MaxScore(category);

    // Each harmful phrase in at least five disguises.
    [Theory]
    [InlineData(Category.Offensive, "fuck off", "FUCK OFF", "f*ck off", "fuuuuuck off", "f u c k off", "ｆｕｃｋ off", "f\u200Buck off", "fück off")]
    [InlineData(Category.Offensive, "you absolute cunt", "you absolute c*nt", "you absolute c.u.n.t", "you absolute cunnnnt", "you absolute ｃｕｎｔ", "you absolute сunt")]
    [InlineData(Category.Offensive, "this is shit", "this is sh!t", "this is 5hit", "this is sh1t", "this is s.h.i.t", "this is shiiiit")]
    [InlineData(Category.Hate, "what a fag", "what a f a g", "what a f4g", "what a FAG", "what a fаg", "what a f.a.g")]
    [InlineData(Category.Hate, "he is a faggot", "he is a f@ggot", "he is a fagg0t", "he is a f-a-g-g-o-t", "he is a faggggot", "he is a ƒaggot")]
    [InlineData(Category.Hate, "stupid retard", "stupid r3tard", "stupid ret@rd", "stupid r e t a r d", "stupid RETARD", "stupid reeeetard")]
    [InlineData(Category.Abuse, "she is a slag", "she is a sl4g", "she is a s.l.a.g", "she is a SLAAAG", "she is a $lag", "she is a ѕlag")]
    [InlineData(Category.Abuse, "kill yourself", "k1ll yourself", "kill y0urself", "KILL YOURSELF", "kiiiill yourself", "k!ll yourself")]
    [InlineData(Category.Safeguarding, "what's your snap", "whats ur snap", "wats ur snapchat", "WHAT'S YOUR SNAP", "what is your sn@p", "what's y0ur snap")]
    [InlineData(Category.Safeguarding, "dm me sweetie", "DM ME SWEETIE", "dm me sweetieeee", "pm me sweetie", "d.m me sw33tie", "inbox me sweetie")]
    [InlineData(Category.Safeguarding, "how old are you", "how old r u", "h0w 0ld are you", "HOW OLD ARE YOU", "how old are youuuu", "how oooold are you")]
    [InlineData(Category.Safeguarding, "I'm going to hurt myself tonight", "im gonna hurt myself tonight", "i'm going to hurt mys3lf tonight", "I AM GOING TO HURT MYSELF", "im going to hurrrt myself", "i'm going to h.u.r.t myself")]
    [InlineData(Category.Spam, "click here for free ipads", "CLICK HERE for free ipads", "cl1ck here for fr33 ipads", "click h3re for free iPads", "cliiick here for free ipads", "click here 4 free ipads")]
    public void Catches_harmful_phrases_in_every_disguise(Category category, params string[] disguises)
    {
        Assert.True(disguises.Length >= 5);
        var missed = disguises.Where(d => Score(d, category) < 0.5).ToList();
        Assert.Empty(missed);
    }

    [Theory]
    [InlineData("We had a lovely trip to Scunthorpe today")]
    [InlineData("The Penistone match was great fun")]
    [InlineData("Our cousins from Essex and Sussex came to the fair")]
    [InlineData("Middlesex cricket club visited year 5")]
    [InlineData("Teachers will assess the reading in the spring")]
    [InlineData("A fruit cocktail at the summer fair")]
    [InlineData("Year 6 are reading Dickens this term")]
    [InlineData("The speech therapist is in on Tuesday")]
    [InlineData("Great analysis of the data in maths")]
    [InlineData("Grape juice and biscuits at break")]
    [InlineData("Well done 6W for the assembly")]
    [InlineData("Class 4B and 6W went to the museum")]
    [InlineData("Mr Hancock and Mr Cockburn ran the cake stall")]
    [InlineData("Peacocks and a shuttlecock on the field")]
    [InlineData("The passage was assessed as a classic")]
    [InlineData("Bass guitar lessons start in the spring")]
    [InlineData("Assassins creed is not suitable for year 3")]
    [InlineData("Dick Whittington is the panto this year")]
    [InlineData("Drinks in the Shitterton village hall")]
    [InlineData("We saw sheep, cows and pigs on the farm trip")]
    [InlineData("Homo sapiens topic in year 6 science")]
    [InlineData("the dads' tug of war went feral, someone lost a shoe")]
    [InlineData("can someone pm me the reading list for year 3")]
    [InlineData("dm me if you find a blue lunchbox")]
    public void Leaves_innocent_look_alikes_alone(string text)
    {
        var result = Detect(text);
        var strong = result.Hits.Where(h => h.Category is Category.Hate or Category.Offensive or Category.Abuse or Category.Safeguarding && h.Score >= 0.7).ToList();
        Assert.Empty(strong);
    }

    [Theory]
    [InlineData("those feral travellers by the field", Category.Hate)]
    [InlineData("snap me later", Category.Safeguarding)]
    [InlineData("pm me privately", Category.Safeguarding)]
    public void Phrases_that_only_harm_in_company_still_count_there(string text, Category category)
    {
        Assert.True(Score(text, category) >= 0.8, $"{category} {Score(text, category)}");
    }

    [Fact]
    public void Staff_allegation_is_safeguarding_and_tagged()
    {
        var result = Detect("Mr Smith grabbed my son by the arm in the corridor");
        Assert.True(result.MaxScore(Category.Safeguarding) >= 0.9);
        Assert.Contains(ModelAssessment.StaffAllegationTag, result.Tags);
    }

    [Fact]
    public void Lexicon_spans_point_at_the_original_words()
    {
        const string text = "honestly you are a ｃ*ｎｔ mate";
        var result = Detect(text);
        var hit = Assert.Single(result.Hits, h => h.Category == Category.Offensive);
        var span = Assert.Single(hit.Spans);
        Assert.Equal("ｃ*ｎｔ", text.Substring(span.Start, span.Length));
    }

    [Fact]
    public void A_bad_lexicon_line_names_the_file_and_line()
    {
        var error = Assert.Throws<FormatException>(() => Lexicon.Parse([new("hate", "3\tok\nnot a line\n")]));
        Assert.Contains("'hate' line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Masked_matching_needs_visible_letters()
    {
        Assert.True(Lexicon.MaskedMatches("f**k", "fuck"));
        Assert.True(Lexicon.MaskedMatches("f***ing", "fucking"));
        Assert.False(Lexicon.MaskedMatches("***", "fuck"));
        Assert.False(Lexicon.MaskedMatches("*uck", "fuck"));
        Assert.False(Lexicon.MaskedMatches("f**k", "fk"));
    }
}

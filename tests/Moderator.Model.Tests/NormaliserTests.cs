using Moderator.Model.Text;

namespace Moderator.Model.Tests;

public sealed class NormaliserTests
{
    private static string[] Keys(string text)
    {
        var n = TextNormaliser.Normalise(text);
        return n.Tokens.Select(t => n.Key(t).ToString()).ToArray();
    }

    private static string[] Squeezed(string text)
    {
        var n = TextNormaliser.Normalise(text);
        return n.Tokens.Select(t => n.Squeezed(t).ToString()).ToArray();
    }

    [Theory]
    [InlineData("HELLO World", "hello world")]
    [InlineData("Café déjà vu", "cafe deja vu")]
    [InlineData("Ｆｕｌｌｗｉｄｔｈ", "fullwidth")]
    [InlineData("ѕһіт", "shit")] // Cyrillic look-alikes
    [InlineData("\u0392\u0399\u03A4\u0421\u041D", "bitch")] // Greek and Cyrillic capitals
    [InlineData("𝐟𝐮𝐜𝐤", "fuck")] // mathematical bold
    [InlineData("ⓕⓤⓒⓚ", "fuck")] // circled
    [InlineData("f\u200Bu\u200Cc\u200Dk", "fuck")] // zero-width characters
    [InlineData("f\u00ADu\u2060c\uFEFFk", "fuck")] // soft hyphen, word joiner, BOM
    [InlineData("fu\u0301ck", "fuck")] // combining accent
    [InlineData("Łódź Ångström", "lodz angstrom")]
    public void Folds_case_accents_compatibility_forms_and_look_alikes(string input, string expected)
    {
        Assert.Equal(expected, string.Join(' ', Keys(input)));
    }

    [Theory]
    [InlineData("sh1t", "shit")]
    [InlineData("5h!t", "shit")]
    [InlineData("a$$", "ass")]
    [InlineData("b1tch", "bitch")]
    [InlineData("ph4g", "phag")]
    [InlineData("1d10t", "idiot")]
    [InlineData("a$$h0le", "asshole")]
    [InlineData("c0ck", "cock")]
    [InlineData("sl4g", "slag")]
    public void Reads_leetspeak_as_letters(string input, string expected)
    {
        Assert.Equal(expected, Keys(input).Single());
    }

    [Theory]
    [InlineData("6W")]
    [InlineData("4B")]
    [InlineData("Y6")]
    [InlineData("10am")]
    [InlineData("2nd")]
    [InlineData("3pm")]
    public void Keeps_forms_times_and_ordinals_as_written(string input)
    {
        Assert.Equal(input.ToLowerInvariant(), Keys(input).Single());
    }

    [Fact]
    public void Reads_one_as_l_as_an_alternative()
    {
        var n = TextNormaliser.Normalise("s1ut");
        var token = n.Tokens.Single();
        Assert.Equal("siut", n.Key(token).ToString());
        Assert.Equal("slut", n.Alternative(token).ToString());
    }

    [Theory]
    [InlineData("fuuuuuuck", "fuck")]
    [InlineData("shiiiiit", "shit")]
    [InlineData("noooo", "no")]
    public void Squeezes_repeated_letters(string input, string expected)
    {
        Assert.Equal(expected, Squeezed(input).Single());
    }

    [Theory]
    [InlineData("f a g", "fag")]
    [InlineData("c.u.n.t", "cunt")]
    [InlineData("f-u-c-k", "fuck")]
    [InlineData("s_l_u_t", "slut")]
    [InlineData("you are a c . u . n . t", "cunt")]
    public void Joins_letters_split_by_spaces_or_dots(string input, string expected)
    {
        var n = TextNormaliser.Normalise(input);
        Assert.Contains(n.JoinedTokens, t => n.Key(t).ToString() == expected);
    }

    [Fact]
    public void Does_not_join_two_single_letters()
    {
        Assert.Empty(TextNormaliser.Normalise("Year 6 B and a trip").JoinedTokens);
    }

    [Fact]
    public void Masked_words_keep_their_mask()
    {
        var n = TextNormaliser.Normalise("what the f***ing hell");
        var masked = n.Tokens.Single(t => (t.Shape & TokenShape.Masked) != 0);
        Assert.Equal("f***ing", n.Key(masked).ToString());
    }

    [Fact]
    public void Spans_map_back_to_the_original_text()
    {
        const string original = "ＨＥＬＬＯ\u200B there, sh!t 🙂 ｃｕｎｔ";
        var n = TextNormaliser.Normalise(original);
        foreach (var token in n.Tokens)
        {
            var span = n.ToOriginal(token);
            var slice = original.Substring(span.Start, span.Length);
            Assert.Equal(n.Key(token).ToString(), string.Join(' ', Keys(slice)));
        }

        var last = n.ToOriginal(n.Tokens[^1]);
        Assert.Equal("ｃｕｎｔ", original.Substring(last.Start, last.Length));
    }

    [Fact]
    public void Records_capitalisation_of_the_original()
    {
        var n = TextNormaliser.Normalise("Jayden SMITH okafor");
        Assert.Equal(TokenShape.Capitalised, n.Tokens[0].Shape & TokenShape.Capitalised);
        Assert.Equal(TokenShape.AllCaps, n.Tokens[1].Shape & TokenShape.AllCaps);
        Assert.Equal(TokenShape.None, n.Tokens[2].Shape & (TokenShape.Capitalised | TokenShape.AllCaps));
    }
}

namespace Moderator.Model.Tests;

/// <summary>
/// Issue 3: the lexicons catch harm that is written without an alarm word, and the innocent sentences that share those
/// words (school notices, parents' banter, lessons about the same topics) stay below review with the detectors alone.
/// </summary>
public sealed class IndirectHarmLexiconTests
{
    private static ModelAssessment Score(string text) => TestModels.Detectors.Score(text);

    [Theory]
    [InlineData("i won't be here much longer so it doesn't matter")]
    [InlineData("everyone would be better off without me")]
    [InlineData("i can't do this anymore")]
    [InlineData("there's no point in anything")]
    [InlineData("nothing to live for anymore")]
    [InlineData("i wish i'd never been born")]
    [InlineData("how many paracetamol would it take to die")]
    [InlineData("you seem really mature for your age")]
    [InlineData("this is our secret ok")]
    [InlineData("i can get you free robux if you add me")]
    [InlineData("come round mine when your mum's at work")]
    [InlineData("what are you wearing rn")]
    [InlineData("no need for your mum to know about this")]
    [InlineData("just wait till monday")]
    [InlineData("they'll all be sorry")]
    [InlineData("snitches get stitches")]
    [InlineData("he hits me when he's drunk")]
    [InlineData("i got locked in my room all weekend again")]
    [InlineData("there's nothing to eat at home again")]
    [InlineData("if i tell anyone he'll hurt me")]
    [InlineData("i've got your nudes, pay or i'll share them")]
    [InlineData("i just want everything to stop")]
    [InlineData("would anyone notice if i disappeared")]
    [InlineData("send me pics of your feet")]
    [InlineData("don't come to school tomorrow")]
    [InlineData("i know where your kids go to school")]
    [InlineData("would be a shame if something happened to your son")]
    [InlineData("your card's marked")]
    public void Indirect_safeguarding_wording_is_hidden_and_escalated(string text)
    {
        Assert.Equal(Verdict.HideAndEscalate, Score(text).Verdict);
    }

    [Theory]
    [InlineData("go back to where you came from")]
    [InlineData("send them back where they came from")]
    [InlineData("muslims are breeding like rats and taking over")]
    [InlineData("dirty polacks everywhere")]
    [InlineData("being gay is a sin")]
    [InlineData("trannies are perverts")]
    [InlineData("whites only in the school council")]
    [InlineData("what a spaz")]
    public void Coded_hate_is_hidden(string text)
    {
        Assert.True(Score(text).Verdict >= Verdict.Hide, text);
    }

    [Theory]
    [InlineData("my daughter says the robux card was the best birthday present")]
    [InlineData("we'll all be sorry to see Mrs Hart retire")]
    [InlineData("You will all be sorry to hear that Mrs Hart is retiring in July")]
    [InlineData("We're so proud, they'll all be sorry they missed this concert")]
    [InlineData("mental health week: it's ok to say you can't do this anymore and ask for help")]
    [InlineData("Can't wait till Monday to see everyone back!")]
    [InlineData("Please wait until Monday for the results, the office is closed")]
    [InlineData("Mix the vinegar and bicarbonate of soda and you'll see what happens!")]
    [InlineData("Please bring something to school for the harvest festival collection")]
    [InlineData("What are you wearing for World Book Day? Send us your photos!")]
    [InlineData("Send us a photo of you in your pyjamas for Children in Need")]
    [InlineData("It's our secret ingredient for the cake sale brownies")]
    [InlineData("I won't be here long, just dropping off the forms")]
    [InlineData("I won't be around this weekend to help with the fair, sorry")]
    [InlineData("Said my goodbyes to Mrs Hart at her leaving do, what a lovely teacher")]
    [InlineData("Year 6 are writing goodbye letters to their teachers")]
    [InlineData("I burnt myself on the oven again making the cakes for the fair")]
    [InlineData("The bikes are locked in the shed over the weekend")]
    [InlineData("I got locked out of my ParentPay account again")]
    [InlineData("We haven't been back since the trip and loved it")]
    [InlineData("We'll get split up into groups for the museum trip")]
    [InlineData("They made me sit on the floor in assembly")]
    [InlineData("Someone should hang the bunting before the fair")]
    [InlineData("When we find them we'll let you know, lost property is by the office")]
    [InlineData("When I see you at pick up I'll give you the form")]
    [InlineData("The recorder concert will make your ears bleed lol")]
    [InlineData("Who says girls can't do maths? Year 5 STEM week was brilliant")]
    [InlineData("Football is for boys and girls at our school")]
    [InlineData("Autistic children belong in mainstream schools with the right support")]
    [InlineData("Not all Muslims are terrorists, and our RE lessons teach that")]
    [InlineData("Welcome to the Roma families joining us this term")]
    [InlineData("Gypsy, Roma and Traveller children should be kept safe like every child")]
    [InlineData("The school is being taken over by the Oak Trust in September")]
    [InlineData("Put the books back where they belong please, year 2")]
    [InlineData("Replacement plan for the boiler is on the governors agenda")]
    [InlineData("Year 9 history: the Vietnamese boat people and what refugees faced")]
    [InlineData("Henry VIII beheaded two of his wives, year 5 Tudors topic")]
    [InlineData("Her reading is well developed for her age, lovely report")]
    [InlineData("He's very fit for a year 7, won the cross country")]
    [InlineData("Let's chat on WhatsApp, I'll add you to the class group")]
    [InlineData("Do your parents check your phone? E-safety tips for families")]
    [InlineData("If you notice unexplained bruises on a child, tell the DSL")]
    [InlineData("My brother keeps beating me at FIFA")]
    [InlineData("She said she'll kill me if I forget the PE kit again lol")]
    [InlineData("Home alone all day tomorrow with the kids, send help lol")]
    [InlineData("Nobody is a loser at sports day, everyone tried their best")]
    [InlineData("The new system is a joke and a complete shambles")]
    [InlineData("What a bunch of witches and wizards at the Halloween disco!")]
    [InlineData("We are giving away cash prizes at the summer fair tombola")]
    [InlineData("The new pitch is a grass pitch")]
    [InlineData("I want it to stop raining before sports day")]
    [InlineData("Have you ever touched a snake? Year 2 zoo visit")]
    [InlineData("Please don't come to school tomorrow if your child has symptoms")]
    [InlineData("Something big is going to happen at school tomorrow, stay tuned!")]
    [InlineData("It would be a shame if the trip was cancelled")]
    [InlineData("Photos of your feet in wellies for Wellie Wednesday please!")]
    [InlineData("The Chinese New Year assembly was brilliant")]
    public void Innocent_sentences_sharing_words_with_indirect_harm_stay_below_review(string text)
    {
        var assessment = Score(text);
        Assert.True(assessment.Verdict == Verdict.Allow, $"{assessment.Verdict}: {string.Join("; ", assessment.Reasons.Select(r => r.Explanation))}");
    }
}

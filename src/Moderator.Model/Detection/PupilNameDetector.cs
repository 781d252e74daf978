using System.Text.RegularExpressions;
using Moderator.Model.Text;

namespace Moderator.Model.Detection;

/// <summary>
/// Full names (first name + surname, including hyphenated, Mc/Mac/O' and non-English surnames) in a school context.
/// A first name alone and staff titles ("Mr Jones", "Mrs Patel") are allowed by the policies and never match.
/// With a roster, every adjacent pair of words is hashed and looked up, whatever its case.
/// </summary>
public static partial class PupilNameDetector
{
    public const string Name = "pupil_name";
    public const string RosterName = "roster";

    private static readonly HashSet<string> Titles = new(
        "mr mrs ms miss mx dr sir madam dame lord lady rev reverend father fr sister prof professor coach head headteacher teacher mister missus".Split(' '),
        StringComparer.Ordinal);

    private static readonly HashSet<string> ContextWords = new(
        "year yr class form reception nursery photo photos picture pictures pic pics video assembly award awards certificate certificates teacher pupil pupils playground classroom team captain prefect".Split(' '),
        StringComparer.Ordinal);

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> TitleLookup = Titles.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ContextLookup = ContextWords.GetAlternateLookup<ReadOnlySpan<char>>();

    public static void Detect(NormalisedText text, LexiconSet lexicons, IPupilRoster? roster, DetectionResult result)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(lexicons);
        ArgumentNullException.ThrowIfNull(result);
        var tokens = text.Tokens;
        if (HasSchoolContext(text))
        {
            result.HasSchoolContext = true;
        }

        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            var first = tokens[i];
            var second = tokens[i + 1];
            if (!IsGap(text.Folded, first.End, second.Start, allowHyphen: false))
            {
                continue;
            }

            // Extend the surname over a hyphen ("Smith-Okafor").
            var last = i + 1;
            while (last + 1 < tokens.Count && IsNameShaped(tokens[last + 1]) && IsGap(text.Folded, tokens[last].End, tokens[last + 1].Start, allowHyphen: true) &&
                   text.Folded[tokens[last].End] == '-')
            {
                last++;
            }

            if (roster is not null)
            {
                // The roster matches whatever the case: extend over hyphens without looking at capitals.
                var rosterLast = i + 1;
                while (rosterLast + 1 < tokens.Count && IsGap(text.Folded, tokens[rosterLast].End, tokens[rosterLast + 1].Start, allowHyphen: true) &&
                       text.Folded[tokens[rosterLast].End] == '-')
                {
                    rosterLast++;
                }

                if (RosterContains(text, roster, first, tokens, i + 1, rosterLast))
                {
                    result.Add(new DetectorHit(Category.PupilIdentification, 0.97, RosterName, "names a pupil on the school's roster",
                        [text.ToOriginal(first.Start, tokens[rosterLast].End - first.Start)]));
                    i = rosterLast - 1;
                    continue;
                }
            }

            // A hyphenated given name ("Gracie-Mai Turner", "Ellie-May O'Connor") is one given name: the pair starts at its
            // first part, and it is known when its first part is ("May" alone would be the month).
            var givenStart = i;
            if (i > 0 && IsNameShaped(tokens[i - 1]) && tokens[i - 1].End + 1 == first.Start && text.Folded[tokens[i - 1].End] == '-' &&
                lexicons.FirstNamesLookup.Contains(text.Key(tokens[i - 1])))
            {
                givenStart = i - 1;
            }

            var given = tokens[givenStart];
            var span = text.ToOriginal(given.Start, tokens[last].End - given.Start);

            var firstKey = text.Key(first);
            var secondKey = text.Key(second);
            if (!IsNameShaped(first) || !IsNameShaped(second) || (first.Shape & TokenShape.Numeric) != 0 ||
                (givenStart == i && lexicons.NotNamesLookup.Contains(firstKey)) || lexicons.NotNamesLookup.Contains(secondKey) ||
                (givenStart > 0 && TitleLookup.Contains(text.Key(tokens[givenStart - 1]))) || secondKey.Length < 2 || firstKey.Length < 2 ||
                IsRomanNumeral(secondKey) || result.IsInnocent(given.Start, tokens[last].End))
            {
                continue;
            }

            var knownFirstName = givenStart < i || lexicons.FirstNamesLookup.Contains(firstKey);
            double score;
            string explanation;
            if (result.HasSchoolContext || AgeFollows(text.Folded, tokens[last].End))
            {
                // An unknown first word may be a place or an event ("Alton Towers", "Burns Night"): below review alone,
                // unless the second word is shaped like a surname (McDonald, O'Brien, or double-barrelled Okafor-Drummond).
                var surnameShaped = last > i + 1 || LooksLikeSurname(text.Original, text.OriginalIndex(second.Start));
                score = knownFirstName || surnameShaped ? 0.9 : 0.38;
                explanation = "gives a full name in a school context (year, form, class, photo or age)";
            }
            else
            {
                score = knownFirstName ? 0.35 : 0.2;
                explanation = "gives what looks like a full name";
            }

            result.Add(new DetectorHit(Category.PupilIdentification, score, Name, explanation, [span]));
            i = last - 1;
        }
    }

    /// <summary>
    /// A child's age written straight after the name is school context too: "Bilal Hussain (7 yrs)", "Maximilian
    /// Brandt, 12, Year 7", "Precious Mensah is only 4". Scores, times, prices and distances after a number are not ages.
    /// </summary>
    private static bool AgeFollows(string folded, int nameEnd)
    {
        var rest = folded.AsSpan(nameEnd, Math.Min(40, folded.Length - nameEnd));
        if (rest.IsEmpty || !rest.ContainsAnyInRange('0', '9'))
        {
            return false;
        }

        var match = AgeAfterName().Match(rest.ToString());
        return match.Success && int.TryParse(match.Groups["age"].ValueSpan, out var age) && age is >= 1 and <= 17;
    }

    [GeneratedRegex(@"^\s{0,2}(?:,\s{0,2}|\(\s?|is\s(?:only\s|now\s|just\s|nearly\s|almost\s)?|who is\s|aged?\s)(?<age>\d{1,2})(?!\d)(?:\s?(?:yrs?|years?)(?:\s?old)?)?(?=\s{0,2}(?:[),.!;]|$|and\b|on\b|in\b|next\b|this\b|today\b|tomorrow\b|years?\b|yrs?\b|y\d|year\s|yr\s))",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, ContactDetector.TimeoutMs)]
    private static partial Regex AgeAfterName();

    private static bool RosterContains(NormalisedText text, IPupilRoster roster, Token first, IReadOnlyList<Token> tokens, int from, int to)
    {
        var parts = new List<string>(to - from + 2) { text.Key(first).ToString() };
        for (var k = from; k <= to; k++)
        {
            parts.Add(text.Key(tokens[k]).ToString());
        }

        // Try "first last" and, for hyphenated surnames, "first last-part".
        if (roster.Contains(HashedPupilRoster.NormaliseName(string.Join(' ', parts[0], parts[1]))))
        {
            return true;
        }

        return parts.Count > 2 && roster.Contains(HashedPupilRoster.NormaliseName(parts[0] + " " + string.Join('-', parts.Skip(1))));
    }

    private static bool IsRomanNumeral(ReadOnlySpan<char> key) => key.Length <= 5 && !key.ContainsAnyExcept("ivxlc");

    private static bool IsNameShaped(Token token) =>
        (token.Shape & (TokenShape.Capitalised | TokenShape.AllCaps)) != 0 && (token.Shape & (TokenShape.Numeric | TokenShape.Leet | TokenShape.Masked)) == 0;

    private static bool LooksLikeSurname(string original, int index)
    {
        var rest = original.AsSpan(index);
        if (rest.Length < 4)
        {
            return false;
        }

        // McDonald, MacLeod, O'Brien, O’Neill: a prefix followed by a capital.
        return (rest.StartsWith("Mc", StringComparison.Ordinal) && char.IsUpper(rest[2])) ||
               (rest.StartsWith("Mac", StringComparison.Ordinal) && char.IsUpper(rest[3])) ||
               ((rest.StartsWith("O'", StringComparison.Ordinal) || rest.StartsWith("O\u2019", StringComparison.Ordinal)) && char.IsUpper(rest[2]));
    }

    private static bool IsGap(string folded, int from, int to, bool allowHyphen)
    {
        if (to - from is < 1 or > 2)
        {
            return false;
        }

        for (var k = from; k < to; k++)
        {
            var c = folded[k];
            if (c != ' ' && !(allowHyphen && c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Year groups ("year 4", "Y6", "Y10"), forms ("4B", "6W", "10H", "RM"), class words and photo words.</summary>
    internal static bool HasSchoolContext(NormalisedText text)
    {
        var tokens = text.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var key = text.Key(tokens[i]);
            if (ContextLookup.Contains(key))
            {
                return true;
            }

            // Forms and year groups of two characters: "4b", "6w", "y6".
            if (IsShortForm(key))
            {
                return true;
            }

            // "yr3" and secondary years and forms are read from the folded text, because the key of a token of three or
            // more characters reads its digits as letters ("yr3" → "yre", "10h" → "loh").
            var folded = text.Folded.AsSpan(tokens[i].Start, tokens[i].Length);
            if (IsLongYearOrForm(folded))
            {
                return true;
            }

            // A possessive form ("in 4T's book bags", "10H's assembly"): the key reads "4t's" as a word.
            if (folded.EndsWith("'s") && folded.Length > 2 && (IsShortForm(folded[..^2]) || IsLongYearOrForm(folded[..^2])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"4b", "6w", "y6": a form or year group of two characters (folded, lower case).</summary>
    private static bool IsShortForm(ReadOnlySpan<char> token) => token is [>= '1' and <= '9', >= 'a' and <= 'z'] or ['y', >= '0' and <= '9'];

    /// <summary>"yr3", "yr12", "y10", "10h"; a unit letter after 10-13 is a quantity ("10k run", "12m", "10p", "10g").</summary>
    private static bool IsLongYearOrForm(ReadOnlySpan<char> token) => token is
        ['y', 'r', >= '0' and <= '9']
        or ['y', 'r', '1', >= '0' and <= '3']
        or ['y', '1', >= '0' and <= '3']
        or ['1', >= '0' and <= '3', >= 'a' and <= 'z' and not ('k' or 'm' or 'p' or 'g')];
}

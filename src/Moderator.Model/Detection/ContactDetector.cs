using System.Buffers;
using System.Text.RegularExpressions;
using Moderator.Model.Text;

namespace Moderator.Model.Detection;

/// <summary>
/// Contact and location details that identify a child or family: UK phone numbers, e-mail addresses, UK postcodes,
/// street addresses and flats, dates of birth, and children's ages. Runs on the folded text (lower case, look-alikes
/// mapped) and reports spans in the original.
/// </summary>
public static partial class ContactDetector
{
    public const string Name = "contact";

    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;
    /// <summary>
    /// Guards against pathological input only (the patterns have bounded quantifiers). The clock is the wall clock, so
    /// a short limit fired spuriously on a loaded machine while the first match was still being compiled; a real
    /// timeout makes the whole assessment fail closed (Review).
    /// </summary>
    internal const int TimeoutMs = 2000;

    private static readonly HashSet<string> PostcodeAreas = new(
        ("ab al b ba bb bd bh bl bn br bs bt ca cb cf ch cm co cr ct cv cw da dd de dg dh dl dn dt dy e ec eh en ex fk fy g gl gu gy " +
         "ha hd hg hp hr hs hu hx ig im ip iv je ka kt kw ky l la ld le ll ln ls lu m me mk ml n ne ng nn np nr nw ol ox pa pe ph pl po pr " +
         "rg rh rm s sa se sg sk sl sm sn so sp sr ss st sw sy ta td tf tn tq tr ts tw ub w wa wc wd wf wn wr ws wv yo ze").Split(' '),
        StringComparer.Ordinal);

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> PostcodeAreaLookup = PostcodeAreas.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly HashSet<string> AddressFillerWords = new(
        "the a an to of in on at and or for from by my his her our your their up down into out over back this that is was".Split(' '),
        StringComparer.Ordinal);

    private static readonly HashSet<string> OrdinalWords = new(
        "first second third fourth fifth sixth seventh eighth ninth tenth last joint equal".Split(' '), StringComparer.Ordinal);

    private static readonly HashSet<string> PositionWords = new("top front back middle bottom".Split(' '), StringComparer.Ordinal);

    private static readonly string[] NumberWords =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"];

    [GeneratedRegex(@"(?<![\d+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s\-.()]{0,2}\d){8,9}(?![\d])", Options, TimeoutMs)]
    private static partial Regex Phone();

    // Runs only when MayHaveEmail holds: change that pre-check with this pattern.
    [GeneratedRegex(@"(?<![a-z0-9._%+\-])[a-z0-9][a-z0-9._%+\-]{0,63}\s?(?:@|\(at\)|\[at\])\s?[a-z0-9][a-z0-9\-]{0,62}(?:\.[a-z0-9\-]{1,63}){0,4}\.[a-z]{2,12}(?![a-z])", Options, TimeoutMs)]
    internal static partial Regex Email();

    // Runs only when MayHaveInwardCode holds: change that pre-check with this pattern.
    [GeneratedRegex(@"(?<![a-z0-9])(?<area>[a-z]{1,2})\d[a-z\d]?\s{0,2}\d[abd-hjlnp-uw-z]{2}(?![a-z0-9])", Options, TimeoutMs)]
    internal static partial Regex Postcode();

    [GeneratedRegex(@"(?<![a-z0-9])\d{1,4}[a-z]?,?\s+(?<words>(?:[a-z'\-]{2,20}\s+){1,3})(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|cres|court|ct|gardens|gdns|grove|place|pl|terrace|hill|park|view|walk|mews|square|row|rise|parade|green|vale|meadow|meadows|fields|estate)(?![a-z])", Options, TimeoutMs)]
    private static partial Regex StreetAddress();

    [GeneratedRegex(@"(?<![a-z])(?:flat|apartment|apt|house number|door number)\s{0,2}(?:no\.?\s?)?\d{1,4}[a-z]?(?![a-z0-9])", Options, TimeoutMs)]
    private static partial Regex Flat();

    [GeneratedRegex(@"(?<![a-z])(?:date of birth|d\.?o\.?b\.?|born on|born|birthday is|bday is)\s{0,2}(?:is\s)?[:\-]?\s{0,2}\d{1,2}(?:st|nd|rd|th)?[\s/.\-]{1,2}(?:\d{1,2}|jan[a-z]*|feb[a-z]*|mar[a-z]*|apr[a-z]*|may|jun[a-z]*|jul[a-z]*|aug[a-z]*|sep[a-z]*|oct[a-z]*|nov[a-z]*|dec[a-z]*)(?:[\s/.\-,]{1,2}(?:19|20)?\d{2})?(?![\d])", Options, TimeoutMs)]
    private static partial Regex DateOfBirth();

    // Runs only when MayHaveAgeAfterIntroduction holds: change that pre-check with this pattern.
    [GeneratedRegex(@"(?<![a-z])(?:she'?s|he'?s|she is|he is|they'?re|my (?:son|daughter|boy|girl|child|kid|little one)(?: is|'s)?|aged?|turned|turns|turning)\s{1,2}(?<age>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)(?![\d:.,]\d)(?![a-z])(?!\s{0,2}(?:pm|am|%|p\b|pence|pounds|quid|mins?|minutes|hours?|hrs?|o'?clock|days?|weeks?|months?|times|points|goals|miles|km|kg|cm|in a row|out of|of|-|/))", Options, TimeoutMs)]
    internal static partial Regex AgeStatement();

    // Runs only when MayHaveYearsOld holds: change that pre-check with this pattern.
    [GeneratedRegex(@"(?<![\d])(?<age>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)[\s\-]{0,2}(?:years?|yrs?|yr)[\s\-]{0,2}old|(?<![\d])(?<age>\d{1,2})\s?yo(?![a-z])", Options, TimeoutMs)]
    internal static partial Regex YearsOld();

    public static void Detect(NormalisedText text, DetectionResult result)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(result);
        var folded = text.Folded;

        // Cheap gates: most comments have no digit and no '@' and skip every pattern.
        var hasDigit = folded.AsSpan().ContainsAny(AsciiDigits);
        var hasAt = folded.Contains('@', StringComparison.Ordinal) || folded.Contains("(at)", StringComparison.Ordinal) || folded.Contains("[at]", StringComparison.Ordinal);

        // Each pattern runs only when its cheap precondition holds: most comments skip them all.
        var cues = hasDigit ? TokenCues(text) : Cue.None;
        if (hasDigit)
        {
            if (HasAtLeastDigits(folded, 10))
            {
                Collect(text, result, Phone(), 0.92, "a UK phone number");
            }

            FindPostcodes(text, result);
            if ((cues & Cue.Street) != 0)
            {
                FindAddresses(text, result);
            }

            if ((cues & Cue.Flat) != 0)
            {
                Collect(text, result, Flat(), 0.72, "a flat or house number");
            }

            if ((cues & Cue.Birth) != 0 || folded.Contains("d.o.b", StringComparison.Ordinal))
            {
                Collect(text, result, DateOfBirth(), 0.85, "a date of birth");
            }
        }

        if (hasAt && MayHaveEmail(folded))
        {
            Collect(text, result, Email(), 0.88, "an e-mail address");
        }

        // Ages need a number, as digits or as a word, and a word that introduces an age.
        if (hasDigit || MentionsNumberWord(folded))
        {
            if (!hasDigit)
            {
                cues = TokenCues(text);
            }

            if ((cues & Cue.Age) != 0)
            {
                FindAges(text, result);
            }
        }
    }

    /// <summary>Which kinds of introducing word (street, flat, birth, age) the comment's tokens contain.</summary>
    [Flags]
    private enum Cue
    {
        None = 0,
        Street = 1,
        Flat = 2,
        Birth = 4,
        Age = 8,
    }

    private static readonly HashSet<string> StreetWords = new(
        "road rd street st avenue ave lane ln close drive dr way crescent cres court ct gardens gdns grove place pl terrace hill park view walk mews square row rise parade green vale meadow meadows fields estate".Split(' '),
        StringComparer.Ordinal);

    private static readonly HashSet<string> FlatWords = new("flat apartment apt house door".Split(' '), StringComparer.Ordinal);

    private static readonly HashSet<string> BirthWords = new("dob birth born birthday bday".Split(' '), StringComparer.Ordinal);

    private static readonly HashSet<string> AgeWords = new(
        "she he shes hes they theyre my aged age turned turns turning year years yr yrs yo old".Split(' '), StringComparer.Ordinal);

    /// <summary>Every introducing word with the kinds it belongs to, so one lookup per token answers all four questions.</summary>
    private static readonly Dictionary<string, Cue>.AlternateLookup<ReadOnlySpan<char>> CueLookup = BuildCues().GetAlternateLookup<ReadOnlySpan<char>>();

    private static Dictionary<string, Cue> BuildCues()
    {
        var cues = new Dictionary<string, Cue>(StringComparer.Ordinal);
        foreach (var (words, cue) in new[] { (StreetWords, Cue.Street), (FlatWords, Cue.Flat), (BirthWords, Cue.Birth), (AgeWords, Cue.Age) })
        {
            foreach (var word in words)
            {
                cues[word] = cues.GetValueOrDefault(word) | cue;
            }
        }

        return cues;
    }

    private static Cue TokenCues(NormalisedText text)
    {
        var cues = Cue.None;
        var tokens = text.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (CueLookup.TryGetValue(text.Key(tokens[i]), out var cue))
            {
                cues |= cue;
            }
        }

        return cues;
    }

    /// <summary>True when the text holds at least <paramref name="needed"/> digits (\d); stops counting there.</summary>
    private static bool HasAtLeastDigits(string folded, int needed)
    {
        var count = 0;
        foreach (var c in folded)
        {
            if (char.IsDigit(c) && ++count == needed)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when any number word from "one" to "seventeen" occurs anywhere, even inside a word ("someone").</summary>
    private static bool MentionsNumberWord(string folded) => folded.AsSpan().ContainsAny(NumberWordsOneUp);

    /// <summary>'0' to '9' as SearchValues: IndexOfAnyInRange('0', '9') was measured allocating 96 bytes per call when not inlined.</summary>
    private static readonly SearchValues<char> AsciiDigits = SearchValues.Create("0123456789");

    private static readonly SearchValues<string> NumberWordsOneUp = SearchValues.Create(NumberWords.AsSpan(1), StringComparison.Ordinal);

    private static void Collect(NormalisedText text, DetectionResult result, Regex regex, double score, string what)
    {
        foreach (var match in regex.EnumerateMatches(text.Folded))
        {
            result.Add(new DetectorHit(Category.PupilIdentification, score, Name, $"contains {what}", [text.ToOriginal(match.Index, match.Length)]));
        }
    }

    private static void FindPostcodes(NormalisedText text, DetectionResult result)
    {
        if (!MayHaveInwardCode(text.Folded))
        {
            return;
        }

        foreach (var match in Postcode().EnumerateMatches(text.Folded))
        {
            // The area is the one or two letters the match starts with (a digit always follows them).
            var found = text.Folded.AsSpan(match.Index, match.Length);
            var area = found[..(found[1] is >= 'a' and <= 'z' ? 2 : 1)];
            if (PostcodeAreaLookup.Contains(area))
            {
                result.Add(new DetectorHit(Category.PupilIdentification, 0.85, Name, "contains a UK postcode", [text.ToOriginal(match.Index, match.Length)]));
            }
        }
    }

    private static void FindAddresses(NormalisedText text, DetectionResult result)
    {
        foreach (Match match in StreetAddress().Matches(text.Folded))
        {
            var words = match.Groups["words"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Any(AddressFillerWords.Contains) || IsMatchScore(text.Folded, match.Index) || IsSaint(text, match) || IsPlacing(match, words))
            {
                continue;
            }

            result.Add(new DetectorHit(Category.PupilIdentification, 0.88, Name, "contains a street address", [text.ToOriginal(match.Index, match.Length)]));
        }
    }

    /// <summary>
    /// "Amelia in 4B, first place in the spelling bee", "Year 4, front row": a form or year group before a placing or a
    /// row in a photo, not a house number before "... Place" or "... Row".
    /// </summary>
    private static bool IsPlacing(Match match, string[] words)
    {
        var value = match.Value;
        if (!(value.EndsWith("place", StringComparison.Ordinal) || value.EndsWith("pl", StringComparison.Ordinal) || value.EndsWith("row", StringComparison.Ordinal)))
        {
            return false;
        }

        if (OrdinalWords.Contains(words[^1]))
        {
            return true;
        }

        // "front row" is a street in some towns ("7 Front Row"): a position only after a form ("3C") or a comma.
        var afterNumber = value[value.AsSpan().IndexOfAnyExceptInRange('0', '9')];
        return PositionWords.Contains(words[^1]) && (char.IsAsciiLetter(afterNumber) || afterNumber == ',');
    }

    /// <summary>"3-1 win against St Mary's": the number is the second half of a score, not a house number.</summary>
    private static bool IsMatchScore(string folded, int numberStart) =>
        numberStart >= 2 && folded[numberStart - 1] is '-' or '\u2013' or ':' && char.IsAsciiDigit(folded[numberStart - 2]);

    /// <summary>"St" before a capitalised name ("St Mary's", "St John Fisher") is Saint, a school or church, not a street.</summary>
    private static bool IsSaint(NormalisedText text, Match match)
    {
        if (!match.Value.EndsWith("st", StringComparison.Ordinal))
        {
            return false;
        }

        // Only "St Mary's" with one space: "22 Church St. Come quick" ends a sentence at a real street.
        var span = text.ToOriginal(match.Index, match.Length);
        var i = span.Start + span.Length;
        var original = text.Original;
        return i + 1 < original.Length && original[i] == ' ' && char.IsUpper(original[i + 1]);
    }

    private static void FindAges(NormalisedText text, DetectionResult result)
    {
        var folded = text.Folded;
        if (MayHaveAgeAfterIntroduction(folded))
        {
            FindAges(text, result, AgeStatement());
        }

        if (MayHaveYearsOld(folded))
        {
            FindAges(text, result, YearsOld());
        }
    }

    // Exact pre-checks: each tests something every match of its pattern contains, so a text that fails it has no
    // match and the pattern (tens of microseconds on a long comment) need not run.

    /// <summary>
    /// What every postcode match contains: an area letter and a digit, and one to four characters later a digit (\d),
    /// two letters of the inward code's alphabet, then no ASCII letter or digit.
    /// </summary>
    internal static bool MayHaveInwardCode(string folded)
    {
        for (var i = NextIndex(folded, 0, Digits); i >= 0 && i + 2 < folded.Length; i = NextIndex(folded, i + 1, Digits))
        {
            if (IsInwardLetter(folded[i + 1]) && IsInwardLetter(folded[i + 2]) &&
                (i + 3 == folded.Length || !(folded[i + 3] is >= 'a' and <= 'z' or >= '0' and <= '9')))
            {
                // The outward code's digit, right after its area letter, is one to four characters earlier
                // (an optional letter or digit and up to two white spaces lie between).
                for (var d = Math.Max(1, i - 4); d < i; d++)
                {
                    if (char.IsDigit(folded[d]) && folded[d - 1] is >= 'a' and <= 'z')
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>
    /// What every e-mail match contains: "@", "(at)" or "[at]" with, before it (past one optional white space), a
    /// character of [a-z0-9._%+\-] and, after it (past one optional white space), one of [a-z0-9].
    /// </summary>
    internal static bool MayHaveEmail(string folded)
    {
        for (var i = folded.AsSpan().IndexOfAny(AtStarts); i >= 0; i = NextAtStart(folded, i + 1))
        {
            int width;
            if (folded[i] == '@')
            {
                width = 1;
            }
            else if (folded[i] is '(' or '[' && folded.AsSpan(i).StartsWith(folded[i] == '(' ? "(at)" : "[at]", StringComparison.Ordinal))
            {
                width = 4;
            }
            else
            {
                continue;
            }

            var before = i - 1;
            if (before >= 0 && char.IsWhiteSpace(folded[before]))
            {
                before--;
            }

            var after = i + width;
            if (after < folded.Length && char.IsWhiteSpace(folded[after]))
            {
                after++;
            }

            if (before >= 0 && (folded[before] is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '%' or '+' or '-') &&
                after < folded.Length && folded[after] is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// What every years-old match contains: "year(s)" or "yr(s)", up to two white spaces or hyphens and "old"
    /// ("7 years old", "7-year-old"), or a digit, an optional white space and "yo" with no letter after it ("10 yo").
    /// </summary>
    internal static bool MayHaveYearsOld(string folded)
    {
        // "year", "years", "yr" or "yrs", up to two white spaces or hyphens, then "old".
        for (var p = folded.IndexOf("old", StringComparison.Ordinal); p >= 0; p = folded.IndexOf("old", p + 1, StringComparison.Ordinal))
        {
            var end = p;
            for (var skipped = 0; skipped < 2 && end > 0 && (char.IsWhiteSpace(folded[end - 1]) || folded[end - 1] == '-'); skipped++)
            {
                end--;
            }

            // Every shorter stretch of white space or hyphens is a possible split too.
            for (var e = end; e <= p; e++)
            {
                var before = folded.AsSpan(0, e);
                if (before.EndsWith("year") || before.EndsWith("years") || before.EndsWith("yr") || before.EndsWith("yrs"))
                {
                    return true;
                }
            }
        }

        for (var p = folded.IndexOf("yo", StringComparison.Ordinal); p >= 0; p = folded.IndexOf("yo", p + 1, StringComparison.Ordinal))
        {
            var digitBefore = (p >= 1 && char.IsDigit(folded[p - 1])) || (p >= 2 && char.IsWhiteSpace(folded[p - 1]) && char.IsDigit(folded[p - 2]));
            if (digitBefore && (p + 2 == folded.Length || folded[p + 2] is not (>= 'a' and <= 'z')))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>[abd-hjlnp-uw-z]: the letters of an inward code.</summary>
    private static bool IsInwardLetter(char c) => c is 'a' or 'b' or (>= 'd' and <= 'h') or 'j' or 'l' or 'n' or (>= 'p' and <= 'u') or (>= 'w' and <= 'z');

    /// <summary>
    /// What every age-statement match contains: one of its introductions ("she's", "they're", "my son is", "aged",
    /// "turning", ...), one or two white-space characters (\s), then a digit (\d) or a number word.
    /// </summary>
    internal static bool MayHaveAgeAfterIntroduction(string folded)
    {
        // Visit every place where a number starts (a digit or a number word, found by vectorised searches), then test
        // white space before it, one more optional white space, the last letter of an introduction and the
        // introductions themselves. (No introduction ends in white space, so with two white spaces the introduction
        // can only end before both.)
        var digit = NextIndex(folded, 2, Digits);
        var word = NextNumberWord(folded, 2);
        while (digit >= 0 || word >= 0)
        {
            var q = digit < 0 ? word : word < 0 ? digit : Math.Min(digit, word);
            if (q == digit)
            {
                digit = NextIndex(folded, q + 1, Digits);
            }

            if (q == word)
            {
                word = NextNumberWord(folded, q + 1);
            }

            if (!char.IsWhiteSpace(folded[q - 1]))
            {
                continue;
            }

            var end = char.IsWhiteSpace(folded[q - 2]) ? q - 2 : q - 1;
            if (end == 0 || !IsIntroductionEnd(folded[end - 1]))
            {
                continue;
            }

            if (EndsWithIntroduction(folded.AsSpan(0, end)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every character <see cref="char.IsDigit(char)"/> accepts (what \d matches), found by asking it of each.</summary>
    private static readonly SearchValues<char> Digits = CharactersWhere(char.IsDigit);

    /// <summary>The index of the next start of a number word ("one" to "seventeen") at or after <paramref name="from"/>, or -1.</summary>
    private static int NextNumberWord(string text, int from)
    {
        if (from >= text.Length)
        {
            return -1;
        }

        var next = text.AsSpan(from).IndexOfAny(NumberWordsOneUp);
        return next < 0 ? -1 : from + next;
    }

    private static SearchValues<char> CharactersWhere(Func<char, bool> test)
    {
        var chars = new List<char>();
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (test((char)c))
            {
                chars.Add((char)c);
            }
        }

        return SearchValues.Create(chars.ToArray());
    }

    /// <summary>The index of the next character of <paramref name="values"/> at or after <paramref name="from"/>, or -1.</summary>
    private static int NextIndex(string text, int from, SearchValues<char> values)
    {
        if (from >= text.Length)
        {
            return -1;
        }

        var next = text.AsSpan(from).IndexOfAny(values);
        return next < 0 ? -1 : from + next;
    }

    /// <summary>The last letters of the introductions ("she's", "they're", "my son", "my daughter", "my boy", "my girl", "my kid", "aged", "turning").</summary>
    private static bool IsIntroductionEnd(char c) => c is 's' or 'e' or 'n' or 'r' or 'y' or 'l' or 'd' or 'g';

    private static bool EndsWithIntroduction(ReadOnlySpan<char> before)
    {
        foreach (var introduction in Introductions)
        {
            if (before.EndsWith(introduction, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The introductions of the age-statement pattern, written out.</summary>
    private static readonly string[] Introductions =
    [
        "she's", "shes", "he's", "hes", "she is", "he is", "they're", "theyre", "age", "aged", "turned", "turns", "turning",
        .. new[] { "son", "daughter", "boy", "girl", "child", "kid", "little one" }.SelectMany(noun => new[] { "my " + noun, "my " + noun + " is", "my " + noun + "'s" }),
    ];

    private static readonly SearchValues<char> AtStarts = SearchValues.Create("@([");

    private static int NextAtStart(string folded, int from)
    {
        if (from >= folded.Length)
        {
            return -1;
        }

        var next = folded.AsSpan(from).IndexOfAny(AtStarts);
        return next < 0 ? -1 : from + next;
    }

    private static void FindAges(NormalisedText text, DetectionResult result, Regex regex)
    {
        for (var match = regex.Match(text.Folded); match.Success; match = match.NextMatch())
        {
            var age = ParseAge(match.Groups["age"].Value);
            if (age is < 1 or > 17)
            {
                continue;
            }

            // An age alone is a weak signal; the name detector raises it when a name stands beside it.
            result.HasSchoolContext = true;
            result.Add(new DetectorHit(Category.PupilIdentification, 0.35, Name, "gives a child's age", [text.ToOriginal(match.Index, match.Length)]));
        }
    }

    private static int ParseAge(string value)
    {
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return Array.IndexOf(NumberWords, value);
    }
}

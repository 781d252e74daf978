namespace Moderator.Model.Text;

/// <summary>
/// Turns a comment into <see cref="NormalisedText"/>. Whole-word matching on de-obfuscated keys is what keeps
/// innocent words innocent: "Scunthorpe", "Essex" and "grape" are single tokens that never equal a lexicon term.
/// </summary>
public static class TextNormaliser
{
    /// <summary>Longest text looked at; longer comments are cut (the platforms cap comments far below this).</summary>
    public const int MaxLength = 20_000;

    public static NormalisedText Normalise(string? text)
    {
        text ??= string.Empty;
        var length = Math.Min(text.Length, MaxLength);
        var work = t_workspace ??= new Workspace();
        var folded = Workspace.Ensure(ref work.Folded, length);
        var toOriginal = Workspace.Ensure(ref work.Map, length + 1);
        var n = 0;
        for (var i = 0; i < length; i++)
        {
            var c = text[i];
            char f;
            var width = 1;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    var codePoint = char.ConvertToUtf32(c, text[i + 1]);
                    f = CharFolding.FoldSupplementary(codePoint);
                    width = 2;
                }
                else
                {
                    f = ' ';
                }
            }
            else if (char.IsLowSurrogate(c))
            {
                f = ' ';
            }
            else
            {
                f = CharFolding.Fold(c);
            }

            if (f != CharFolding.Drop)
            {
                folded[n] = f;
                toOriginal[n] = i;
                n++;
            }

            i += width - 1;
        }

        toOriginal[n] = length;
        var foldedText = new string(folded, 0, n);

        // When nothing was dropped or merged, every folded character sits where it was: no map needs keeping.
        var keptMap = n == length ? null : toOriginal.AsSpan(0, n + 1).ToArray();
        return Tokenise(text, foldedText, toOriginal, keptMap, work);
    }

    /// <summary>Per-thread buffers for the work in progress; the result gets exact-size copies, so nothing here outlives a call.</summary>
    private sealed class Workspace
    {
        public char[] Folded = new char[512];
        public int[] Map = new int[512];
        public char[] Keys = new char[1024];
        public readonly List<Token> Tokens = new(128);

        public static T[] Ensure<T>(ref T[] buffer, int length)
        {
            if (buffer.Length < length)
            {
                buffer = new T[Math.Max(length, buffer.Length * 2)];
            }

            return buffer;
        }
    }

    [ThreadStatic]
    private static Workspace? t_workspace;

    private static NormalisedText Tokenise(string original, string folded, int[] map, int[]? keptMap, Workspace work)
    {
        var tokens = work.Tokens;
        tokens.Clear();
        var keys = Workspace.Ensure(ref work.Keys, folded.Length * 2 + 8);
        var keyLength = 0;
        var i = 0;
        while (i < folded.Length)
        {
            if (CharFolding.IsEmoji(folded[i]))
            {
                AddToken(original, folded, map, i, i + 1, tokens, ref keys, ref keyLength);
                i++;
                continue;
            }

            if (!IsRunChar(folded[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < folded.Length && IsRunChar(folded[i]))
            {
                i++;
            }

            var end = i;

            // Leading and trailing punctuation that is not part of the word ("hello!", "'quote'", "@name").
            while (start < end && folded[start] is '!' or '\'' or '|' or '@' or '.' or '-' or '_')
            {
                start++;
            }

            while (end > start && folded[end - 1] is '!' or '\'' or '|' or '@' or '.' or '-' or '_')
            {
                end--;
            }

            // Dots, hyphens and underscores inside a run split it unless they mask letters ("f.u.c.k" becomes letters, joined later).
            var segmentStart = start;
            for (var j = start; j <= end; j++)
            {
                if (j == end || folded[j] is '.' or '-' or '_')
                {
                    if (j > segmentStart)
                    {
                        AddToken(original, folded, map, segmentStart, j, tokens, ref keys, ref keyLength);
                    }

                    segmentStart = j + 1;
                }
            }
        }

        var tokenArray = tokens.ToArray();
        tokens.Clear();
        var (joined, view) = JoinSplitLetters(folded, tokenArray, ref keys, ref keyLength);
        work.Keys = keys;
        return new NormalisedText(original, folded, keptMap, keys.AsSpan(0, keyLength).ToArray(), tokenArray, joined, view);
    }

    private static bool IsRunChar(char c) =>
        char.IsLetterOrDigit(c) || c is '$' or '@' or '!' or '|' or '*' or '\'' or '.' or '-' or '_';

    private static bool IsLetterish(char c) => char.IsLetterOrDigit(c) || c is '$' or '@' or '!' or '|' or '*';

    private static void AddToken(string original, string folded, int[] map, int start, int end, List<Token> tokens, ref char[] keys, ref int keyLength)
    {
        // Trim again after splitting on dots and hyphens.
        while (start < end && folded[start] is '!' or '\'' or '|' or '@')
        {
            start++;
        }

        while (end > start && folded[end - 1] is '!' or '\'' or '|' or '@')
        {
            end--;
        }

        var letters = 0;
        var digits = 0;
        var symbols = 0;
        var nonAscii = false;
        for (var j = start; j < end; j++)
        {
            var c = folded[j];
            if (char.IsDigit(c))
            {
                digits++;
            }
            else if (char.IsLetter(c) || CharFolding.IsEmoji(c))
            {
                letters++;
                nonAscii |= c > 0x7F;
            }
            else if (c != '\'')
            {
                symbols++;
            }
        }

        if (letters + digits == 0)
        {
            return;
        }

        var shape = TokenShape.None;
        if (letters == 0 && symbols == 0)
        {
            shape |= TokenShape.Numeric;
        }

        if (nonAscii)
        {
            shape |= TokenShape.NonAscii;
        }

        // Read digits and symbols as letters only in words long enough to be words ("6w", "4b", "y6" stay as they are)
        // and not in ordinals, times and measures ("2nd", "10am", "3pm", "5k").
        var leet = (letters > 0 || symbols > 0) && (digits > 0 || symbols > 0) && end - start >= 3 && !IsNumberWithUnit(folded.AsSpan(start, end - start));

        EnsureCapacity(ref keys, keyLength + (end - start) * 3 + 2);
        var keyStart = keyLength;
        var runChar = '\0';
        var runLength = 0;
        for (var j = start; j < end; j++)
        {
            var c = folded[j];
            if (c == '\'')
            {
                continue;
            }

            if (leet)
            {
                var mapped = LeetLetter(c);
                if (mapped != c)
                {
                    shape |= TokenShape.Leet;
                    c = mapped;
                }
            }
            else if (c is '$' or '@' or '!' or '|')
            {
                c = LeetLetter(c);
                shape |= TokenShape.Leet;
            }

            if (c == '*')
            {
                shape |= TokenShape.Masked;
            }

            // Runs of three or more of the same letter become two ("fuuuuck" → "fuuck", squeezed below to "fuck").
            if (c == runChar)
            {
                runLength++;
                if (runLength > 2 && c != '*')
                {
                    continue;
                }
            }
            else
            {
                runChar = c;
                runLength = 1;
            }

            keys[keyLength++] = c;
        }

        var keyLen = keyLength - keyStart;
        if (keyLen == 0)
        {
            return;
        }

        // Squeezed form: every run written once.
        var squeezedStart = keyLength;
        var previous = '\0';
        for (var j = keyStart; j < keyStart + keyLen; j++)
        {
            var c = keys[j];
            if (c != previous || c == '*')
            {
                keys[keyLength++] = c;
            }

            previous = c;
        }

        var squeezedLength = keyLength - squeezedStart;

        // '1' and '|' may stand for 'l' as well as 'i'.
        var altStart = keyLength;
        if ((shape & TokenShape.Leet) != 0 && folded.AsSpan(start, end - start).IndexOfAny('1', '|') >= 0)
        {
            var previousAlt = '\0';
            var altRun = 0;
            for (var j = start; j < end; j++)
            {
                var c = folded[j];
                if (c == '\'')
                {
                    continue;
                }

                c = c is '1' or '|' ? 'l' : LeetLetter(c);
                altRun = c == previousAlt ? altRun + 1 : 1;
                previousAlt = c;
                if (altRun <= 2)
                {
                    keys[keyLength++] = c;
                }
            }
        }

        var altLength = keyLength - altStart;
        shape |= OriginalCase(original, map, start, end);
        tokens.Add(new Token(start, end - start, keyStart, keyLen, squeezedStart, squeezedLength, shape, altStart, altLength));
    }

    private static TokenShape OriginalCase(string original, int[] map, int start, int end)
    {
        var upper = 0;
        var lower = 0;
        var firstUpper = false;
        var first = true;
        for (var j = start; j < end; j++)
        {
            var c = original[map[j]];
            if (!char.IsLetter(c))
            {
                continue;
            }

            if (char.IsUpper(c))
            {
                upper++;
                if (first)
                {
                    firstUpper = true;
                }
            }
            else
            {
                lower++;
            }

            first = false;
        }

        if (upper >= 2 && lower == 0)
        {
            return TokenShape.AllCaps;
        }

        return firstUpper && lower > 0 ? TokenShape.Capitalised : TokenShape.None;
    }

    private static bool IsNumberWithUnit(ReadOnlySpan<char> word)
    {
        var digits = 0;
        while (digits < word.Length && char.IsAsciiDigit(word[digits]))
        {
            digits++;
        }

        if (digits == 0)
        {
            return false;
        }

        var rest = word[digits..];
        if (rest.IsEmpty)
        {
            return true;
        }

        foreach (var unit in Units)
        {
            if (rest.SequenceEqual(unit))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] Units =
    [
        "st", "nd", "rd", "th", "am", "pm", "s", "k", "m", "p", "kg", "km", "mb", "gb", "yr", "yrs", "yo", "mins", "min", "hr", "hrs", "pcs", "mph", "cm", "mm", "ml", "x",
    ];

    private static char LeetLetter(char c) => c switch
    {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '6' => 'g',
        '7' => 't',
        '8' => 'b',
        '9' => 'g',
        '$' => 's',
        '@' => 'a',
        '!' => 'i',
        '|' => 'l',
        _ => c,
    };

    /// <summary>
    /// Rebuilds words written as separate letters ("f a g", "c.u.n.t", "d.m"). Returns the rebuilt words and a view of
    /// the token list with each run replaced by its word (null when nothing was joined), for phrase matching.
    /// </summary>
    private static (Token[] Joined, Token[]? View) JoinSplitLetters(string folded, Token[] tokens, ref char[] keys, ref int keyLength)
    {
        List<Token>? joined = null;
        List<Token>? view = null;
        var i = 0;
        while (i < tokens.Length)
        {
            var j = i;
            while (j < tokens.Length && tokens[j].KeyLength == 1 && tokens[j].Length <= 2 && !CharFolding.IsEmoji(keys[tokens[j].KeyStart]) &&
                   (j == i || IsSplitGap(folded, tokens[j - 1].End, tokens[j].Start)))
            {
                j++;
            }

            // "what a f a g": a leading "a", "i" or "u" is more likely a word of its own.
            var runStart = i;
            if (j - i >= 4 && keys[tokens[i].KeyStart] is 'a' or 'i' or 'u' && folded[tokens[i].End] == ' ')
            {
                runStart = i + 1;
            }

            // Two letters join only when written tightly with a dot or dash ("d.m", "p-m").
            var tightPair = j - runStart == 2 && tokens[runStart + 1].Start - tokens[runStart].End == 1 && folded[tokens[runStart].End] is '.' or '-' or '_';
            if (j - runStart >= 3 || tightPair)
            {
                EnsureCapacity(ref keys, keyLength + (j - runStart) * 2 + 2);
                var keyStart = keyLength;
                for (var k = runStart; k < j; k++)
                {
                    keys[keyLength++] = keys[tokens[k].KeyStart];
                }

                var keyLen = keyLength - keyStart;
                var squeezedStart = keyLength;
                var previous = '\0';
                for (var k = keyStart; k < keyStart + keyLen; k++)
                {
                    if (keys[k] != previous)
                    {
                        keys[keyLength++] = keys[k];
                    }

                    previous = keys[k];
                }

                var token = new Token(tokens[runStart].Start, tokens[j - 1].End - tokens[runStart].Start, keyStart, keyLen, squeezedStart, keyLength - squeezedStart, TokenShape.Joined);
                joined ??= [];
                joined.Add(token);
                view ??= [.. tokens.AsSpan(0, i)];
                for (var k = i; k < runStart; k++)
                {
                    view.Add(tokens[k]);
                }

                view.Add(token);
                i = j;
            }
            else
            {
                var next = Math.Max(i + 1, j);
                if (view is not null)
                {
                    for (var k = i; k < next; k++)
                    {
                        view.Add(tokens[k]);
                    }
                }

                i = next;
            }
        }

        return (joined is null ? [] : joined.ToArray(), view?.ToArray());
    }

    private static bool IsSplitGap(string folded, int from, int to)
    {
        if (to - from is < 1 or > 3)
        {
            return false;
        }

        for (var k = from; k < to; k++)
        {
            if (folded[k] is not (' ' or '.' or '-' or '_' or '*' or '/' or ',' or '+' or '~'))
            {
                return false;
            }
        }

        return true;
    }

    private static void EnsureCapacity(ref char[] buffer, int needed)
    {
        if (buffer.Length < needed)
        {
            Array.Resize(ref buffer, Math.Max(needed, buffer.Length * 2));
        }
    }

    internal static bool IsWordChar(char c) => IsLetterish(c);
}

using System.Globalization;
using Moderator.Model.Text;

namespace Moderator.Model.Detection;

/// <summary>One curated term or phrase: what it signals and how strongly (1 mild, 2 strong, 3 severe).</summary>
public sealed record LexiconEntry(string Target, int Severity, string Phrase, IReadOnlyList<LexiconWord> Words);

/// <summary>One word of a phrase. A trailing '*' in the lexicon allows any ending ("fuck*"); "..." allows up to three words in between.</summary>
public sealed record LexiconWord(string Key, string Squeezed, bool Prefix, bool Gap);

/// <summary>A lexicon match: the entry and the folded range it covers.</summary>
public readonly record struct LexiconHit(LexiconEntry Entry, int FoldedStart, int FoldedLength, bool Masked);

/// <summary>
/// The curated lexicons of seeds/lexicons/, one per target (a category code name or a tag such as "complaint").
/// Lines: <c>severity&lt;TAB&gt;phrase</c>; '#' starts a comment. Matching is whole-word on de-obfuscated keys.
/// </summary>
public sealed class Lexicon
{
    private const int MaxGap = 3;

    private readonly Dictionary<string, WordGroup> _byFirstWord = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LexiconEntry>> _byFirstPrefix = new(StringComparer.Ordinal);
    private readonly List<LexiconEntry> _entries = [];
    private readonly List<(LexiconWord Word, List<LexiconEntry> Entries)> _firstWords = [];
    private readonly Dictionary<string, WordGroup>.AlternateLookup<ReadOnlySpan<char>> _firstWordLookup;
    private readonly Dictionary<string, List<LexiconEntry>>.AlternateLookup<ReadOnlySpan<char>> _firstPrefixLookup;

    /// <summary>
    /// One bit per <see cref="Sketch"/> of every first word and prefix: most words of a comment start no phrase, and a
    /// clear bit says so without hashing the word for the dictionaries.
    /// </summary>
    private readonly ulong[] _firstWordSketches = new ulong[SketchBits / 64];
    private readonly ulong[] _prefixSketches = new ulong[SketchBits / 64];

    private Lexicon(IEnumerable<LexiconEntry> entries)
    {
        foreach (var entry in entries)
        {
            _entries.Add(entry);
            var first = entry.Words[0];
            if (first.Prefix)
            {
                AddTo(_byFirstPrefix, PrefixKey(first.Key), entry);
            }
            else
            {
                GroupFor(first.Key).Add(entry);
                if (first.Squeezed != first.Key)
                {
                    GroupFor(first.Squeezed).Add(entry);
                }
            }
        }

        foreach (var group in _byFirstWord.Values)
        {
            group.Seal();
        }

        // Distinct first words, so a masked word ("f**k") is compared with each word once, not with every phrase.
        foreach (var group in _entries.GroupBy(e => (e.Words[0].Key, e.Words[0].Prefix)))
        {
            _firstWords.Add((group.First().Words[0], group.ToList()));
        }

        _firstWordLookup = _byFirstWord.GetAlternateLookup<ReadOnlySpan<char>>();
        _firstPrefixLookup = _byFirstPrefix.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var key in _byFirstWord.Keys)
        {
            SetBit(_firstWordSketches, Sketch(key));
        }

        foreach (var key in _byFirstPrefix.Keys)
        {
            SetBit(_prefixSketches, Sketch(key));
        }
    }

    public IReadOnlyList<LexiconEntry> Entries => _entries;

    public static Lexicon Empty { get; } = new([]);

    /// <summary>Parses lexicon files given as (target, file text) pairs. Throws <see cref="FormatException"/> with the line on a bad line.</summary>
    public static Lexicon Parse(IEnumerable<KeyValuePair<string, string>> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var entries = new List<LexiconEntry>();
        var cache = new Dictionary<string, LexiconWord[]>(StringComparer.Ordinal);
        foreach (var (target, text) in files)
        {
            var lineNumber = 0;
            foreach (var rawLine in text.Split('\n'))
            {
                lineNumber++;
                var line = rawLine.TrimEnd('\r');
                var hash = line.IndexOf('#', StringComparison.Ordinal);
                if (hash >= 0)
                {
                    line = line[..hash];
                }

                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                if (tab <= 0 || !int.TryParse(line.AsSpan(0, tab), NumberStyles.None, CultureInfo.InvariantCulture, out var severity) || severity is < 1 or > 3)
                {
                    throw new FormatException($"lexicon '{target}' line {lineNumber}: expected 'severity(1-3)<TAB>phrase'");
                }

                foreach (var (phrase, words) in Expand(line[(tab + 1)..].Trim(), cache))
                {
                    if (words.Count == 0 || words[0].Gap || words[^1].Gap || words.Exists(w => w.Prefix && w.Key.Length < 3))
                    {
                        throw new FormatException($"lexicon '{target}' line {lineNumber}: the phrase has no words, starts or ends with '...', or has a prefix shorter than 3 letters");
                    }

                    entries.Add(new LexiconEntry(target, severity, phrase, words));
                }
            }
        }

        return new Lexicon(entries);
    }

    /// <summary>Every match in the text, longest first at each position.</summary>
    public void Match(NormalisedText text, List<LexiconHit> hits)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(hits);
        var tokens = text.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            MatchAt(text, tokens, i, hits);
        }

        // Letters split by spaces or dots, rebuilt as words, matched with the phrases around them.
        if (text.JoinedView is { } view)
        {
            for (var i = 0; i < view.Count; i++)
            {
                MatchAt(text, view, i, hits);
            }
        }
    }

    private void MatchAt(NormalisedText text, IReadOnlyList<Token> tokens, int index, List<LexiconHit> hits)
    {
        var token = tokens[index];
        if ((token.Shape & TokenShape.Masked) != 0)
        {
            foreach (var (word, entries) in _firstWords)
            {
                if (!WordMatches(text, token, word))
                {
                    continue;
                }

                foreach (var entry in entries)
                {
                    TryPhrase(text, tokens, index, entry, hits, masked: true);
                }
            }

            return;
        }

        TryCandidates(text, tokens, index, text.Key(token), hits);
        var squeezed = text.Squeezed(token);
        if (!squeezed.SequenceEqual(text.Key(token)))
        {
            TryCandidates(text, tokens, index, squeezed, hits);
        }

        var alternative = text.Alternative(token);
        if (!alternative.IsEmpty)
        {
            TryCandidates(text, tokens, index, alternative, hits);
        }
    }

    private void TryCandidates(NormalisedText text, IReadOnlyList<Token> tokens, int index, ReadOnlySpan<char> key, List<LexiconHit> hits)
    {
        if (HasBit(_firstWordSketches, Sketch(key)) && _firstWordLookup.TryGetValue(key, out var group))
        {
            TryOthers(text, tokens, index, group, hits);

            // Phrases are indexed by their second word too: a common first word ("i", "she") meets only the phrases
            // whose second word is actually there.
            if (index + 1 < tokens.Count && group.HasSecondWords)
            {
                var next = tokens[index + 1];
                if ((next.Shape & TokenShape.Masked) != 0)
                {
                    foreach (var entry in group.AllWithSecondWords())
                    {
                        TryPhrase(text, tokens, index, entry, hits, masked: false);
                    }
                }
                else
                {
                    TrySecond(text, tokens, index, group, text.Key(next), hits);
                    var squeezedNext = text.Squeezed(next);
                    if (!squeezedNext.SequenceEqual(text.Key(next)))
                    {
                        TrySecond(text, tokens, index, group, squeezedNext, hits);
                    }

                    var alternativeNext = text.Alternative(next);
                    if (!alternativeNext.IsEmpty)
                    {
                        TrySecond(text, tokens, index, group, alternativeNext, hits);
                    }
                }
            }
        }

        if (key.Length >= 3 && HasBit(_prefixSketches, Sketch(key[..3])) && _firstPrefixLookup.TryGetValue(key[..3], out var prefixed))
        {
            foreach (var entry in prefixed)
            {
                TryPhrase(text, tokens, index, entry, hits, masked: false);
            }
        }
    }

    /// <summary>
    /// The phrases of a group not keyed by their second word, in their lexicon order. Phrases of the form
    /// "first ... word ..." are tried only when their word after the gap is among the next <see cref="MaxGap"/> + 1
    /// tokens: the alternatives of a staff-allegation line expand to a thousand phrases per first word ("mr ... hit my
    /// son"), and trying each of them on every "Mr" cost more than everything else the model does.
    /// </summary>
    private static void TryOthers(NormalisedText text, IReadOnlyList<Token> tokens, int index, WordGroup group, List<LexiconHit> hits)
    {
        var others = group.Others;
        if (!group.HasGapIndex)
        {
            foreach (var entry in others)
            {
                TryPhrase(text, tokens, index, entry, hits, masked: false);
            }

            return;
        }

        var last = Math.Min(tokens.Count - 1, index + 1 + MaxGap);
        for (var t = index + 1; t <= last; t++)
        {
            if ((tokens[t].Shape & TokenShape.Masked) != 0)
            {
                // A masked word may stand for any word after the gap: try them all.
                foreach (var entry in others)
                {
                    TryPhrase(text, tokens, index, entry, hits, masked: false);
                }

                return;
            }
        }

        var positions = t_positions ??= new List<int>(64);
        positions.Clear();
        positions.AddRange(group.Unindexed);
        for (var t = index + 1; t <= last; t++)
        {
            var token = tokens[t];
            group.AddAfterGap(text.Key(token), positions);
            var squeezed = text.Squeezed(token);
            if (!squeezed.SequenceEqual(text.Key(token)))
            {
                group.AddAfterGap(squeezed, positions);
            }

            if (token.AltLength > 0)
            {
                group.AddAfterGap(text.Alternative(token), positions);
            }
        }

        positions.Sort();
        var previous = -1;
        foreach (var position in positions)
        {
            if (position != previous)
            {
                TryPhrase(text, tokens, index, others[position], hits, masked: false);
                previous = position;
            }
        }
    }

    [ThreadStatic]
    private static List<int>? t_positions;

    private const int SketchBits = 1 << 15;

    /// <summary>A cheap 15-bit summary of a word (length, first two and last letters): equal words have equal sketches.</summary>
    private static int Sketch(ReadOnlySpan<char> word)
    {
        if (word.IsEmpty)
        {
            return 0;
        }

        var h = (uint)word.Length * 0x9E3779B1u;
        h = (h ^ word[0]) * 0x85EBCA77u;
        h = (h ^ word[^1]) * 0xC2B2AE3Du;
        if (word.Length > 1)
        {
            h = (h ^ word[1]) * 0x27D4EB2Fu;
        }

        return (int)(h >> 17);
    }

    private static void SetBit(ulong[] bits, int bit) => bits[bit >> 6] |= 1UL << (bit & 63);

    private static bool HasBit(ulong[] bits, int bit) => (bits[bit >> 6] & (1UL << (bit & 63))) != 0;

    private static void TrySecond(NormalisedText text, IReadOnlyList<Token> tokens, int index, WordGroup group, ReadOnlySpan<char> secondKey, List<LexiconHit> hits)
    {
        var entries = group.WithSecondWord(secondKey);
        if (entries is null)
        {
            return;
        }

        foreach (var entry in entries)
        {
            TryPhrase(text, tokens, index, entry, hits, masked: false);
        }
    }

    private WordGroup GroupFor(string key)
    {
        if (!_byFirstWord.TryGetValue(key, out var group))
        {
            group = new WordGroup();
            _byFirstWord[key] = group;
        }

        return group;
    }

    /// <summary>The phrases that start with one word, split by their second word when it is a plain word.</summary>
    private sealed class WordGroup
    {
        private readonly Dictionary<string, List<LexiconEntry>> _bySecond = new(StringComparer.Ordinal);
        private Dictionary<string, List<LexiconEntry>>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        private readonly Dictionary<string, List<int>> _afterGap = new(StringComparer.Ordinal);
        private Dictionary<string, List<int>>.AlternateLookup<ReadOnlySpan<char>> _afterGapLookup;

        public List<LexiconEntry> Others { get; } = [];

        /// <summary>Positions in <see cref="Others"/> of the phrases that cannot be picked by the word after their gap.</summary>
        public List<int> Unindexed { get; } = [];

        public bool HasSecondWords => _bySecond.Count > 0;

        public bool HasGapIndex => _afterGap.Count > 0;

        public void Add(LexiconEntry entry)
        {
            if (entry.Words.Count < 2 || entry.Words[1].Gap || entry.Words[1].Prefix)
            {
                var position = Others.Count;
                Others.Add(entry);
                if (entry.Words.Count > 2 && entry.Words[1].Gap && entry.Words[2] is { Gap: false, Prefix: false } afterGap)
                {
                    AddPosition(afterGap.Key, position);
                    if (afterGap.Squeezed != afterGap.Key)
                    {
                        AddPosition(afterGap.Squeezed, position);
                    }
                }
                else
                {
                    Unindexed.Add(position);
                }

                return;
            }

            AddTo(_bySecond, entry.Words[1].Key, entry);
            if (entry.Words[1].Squeezed != entry.Words[1].Key)
            {
                AddTo(_bySecond, entry.Words[1].Squeezed, entry);
            }
        }

        public void Seal()
        {
            _lookup = _bySecond.GetAlternateLookup<ReadOnlySpan<char>>();
            _afterGapLookup = _afterGap.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        /// <summary>Adds the positions of the phrases whose word after the gap is written <paramref name="key"/> (a superset: matching checks every word).</summary>
        public void AddAfterGap(ReadOnlySpan<char> key, List<int> positions)
        {
            if (_afterGapLookup.TryGetValue(key, out var found))
            {
                positions.AddRange(found);
            }
        }

        private void AddPosition(string key, int position)
        {
            if (!_afterGap.TryGetValue(key, out var list))
            {
                list = [];
                _afterGap[key] = list;
            }

            if (list.Count == 0 || list[^1] != position)
            {
                list.Add(position);
            }
        }

        public List<LexiconEntry>? WithSecondWord(ReadOnlySpan<char> key) => _lookup.TryGetValue(key, out var list) ? list : null;

        public IEnumerable<LexiconEntry> AllWithSecondWords() => _bySecond.Values.SelectMany(v => v).Distinct();
    }

    private static void TryPhrase(NormalisedText text, IReadOnlyList<Token> tokens, int index, LexiconEntry entry, List<LexiconHit> hits, bool masked)
    {
        if (!WordMatches(text, tokens[index], entry.Words[0]))
        {
            return;
        }

        var end = MatchRest(text, tokens, index + 1, entry.Words, 1);
        if (end < 0)
        {
            return;
        }

        var first = tokens[index];
        var last = tokens[end - 1];
        AddHit(hits, new LexiconHit(entry, first.Start, last.End - first.Start, masked));
    }

    /// <summary>Returns the token index after the match, or -1.</summary>
    private static int MatchRest(NormalisedText text, IReadOnlyList<Token> tokens, int tokenIndex, IReadOnlyList<LexiconWord> words, int wordIndex)
    {
        if (wordIndex == words.Count)
        {
            return tokenIndex;
        }

        var word = words[wordIndex];
        if (word.Gap)
        {
            for (var skip = 0; skip <= MaxGap && tokenIndex + skip <= tokens.Count; skip++)
            {
                var end = MatchRest(text, tokens, tokenIndex + skip, words, wordIndex + 1);
                if (end >= 0)
                {
                    return end;
                }
            }

            return -1;
        }

        if (tokenIndex >= tokens.Count || !WordMatches(text, tokens[tokenIndex], word))
        {
            return -1;
        }

        return MatchRest(text, tokens, tokenIndex + 1, words, wordIndex + 1);
    }

    private static bool WordMatches(NormalisedText text, Token token, LexiconWord word)
    {
        var key = text.Key(token);
        if ((token.Shape & TokenShape.Masked) != 0)
        {
            return MaskedMatches(key, word.Key, word.Prefix);
        }

        if (word.Prefix)
        {
            // Squeezed prefixes only for elongated words: "nigerian" must not meet the stem of a slur.
            var squeezedToken = text.Squeezed(token);
            return key.StartsWith(word.Key) || (!squeezedToken.SequenceEqual(key) && squeezedToken.StartsWith(word.Squeezed)) ||
                   (token.AltLength > 0 && text.Alternative(token).StartsWith(word.Key));
        }

        if (key.SequenceEqual(word.Key))
        {
            return true;
        }

        // Elongated words ("kiiiill", "shitt") compare squeezed; plain words must match exactly so "as" is not "ass".
        var squeezed = text.Squeezed(token);
        if (!squeezed.SequenceEqual(key) && squeezed.SequenceEqual(word.Squeezed))
        {
            return true;
        }

        return token.AltLength > 0 && text.Alternative(token).SequenceEqual(word.Key);
    }

    /// <summary>A masked word ("f**k", "sh*t", "f***ing") matches when its letters agree and each run of '*' stands for one or more letters.</summary>
    internal static bool MaskedMatches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> word, bool prefix = false)
    {
        var letters = 0;
        foreach (var c in pattern)
        {
            if (c != '*')
            {
                letters++;
            }
        }

        // At least two visible letters, and the first one visible, so "***" or "*a" match nothing.
        if (letters < 2 || pattern.IsEmpty || pattern[0] == '*')
        {
            return false;
        }

        return Wildcard(pattern, word, prefix);
    }

    /// <summary>With <paramref name="prefix"/>, the word may end before the pattern does ("f***ing" against the stem "fuck").</summary>
    private static bool Wildcard(ReadOnlySpan<char> pattern, ReadOnlySpan<char> word, bool prefix)
    {
        if (word.IsEmpty && prefix)
        {
            return true;
        }

        if (pattern.IsEmpty)
        {
            return word.IsEmpty;
        }

        if (pattern[0] == '*')
        {
            var stars = 0;
            while (stars < pattern.Length && pattern[stars] == '*')
            {
                stars++;
            }

            var rest = pattern[stars..];

            // Each masking character hides one letter, or a few when the writer was careless ("f*ck", "f**k", "f***").
            for (var take = 1; take <= Math.Min(word.Length, stars + 2); take++)
            {
                if (Wildcard(rest, word[take..], prefix))
                {
                    return true;
                }
            }

            return false;
        }

        return !word.IsEmpty && pattern[0] == word[0] && Wildcard(pattern[1..], word[1..], prefix);
    }

    private static void AddHit(List<LexiconHit> hits, LexiconHit hit)
    {
        foreach (var existing in hits)
        {
            if (existing.Entry == hit.Entry && existing.FoldedStart == hit.FoldedStart)
            {
                return;
            }
        }

        hits.Add(hit);
    }

    /// <summary>
    /// Expands alternatives written with '|' ("dm|pm me" is "dm me" and "pm me"), the last word varying fastest, with
    /// each phrase's words. Every alternative is parsed once, not once per phrase it appears in (a staff-allegation
    /// line expands to over ten thousand phrases).
    /// </summary>
    private static IEnumerable<(string Phrase, List<LexiconWord> Words)> Expand(string phrase, Dictionary<string, LexiconWord[]> cache)
    {
        var parts = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var options = new (string Text, List<LexiconWord> Words)[parts.Length][];
        for (var p = 0; p < parts.Length; p++)
        {
            var alternatives = parts[p].Split('|', StringSplitOptions.RemoveEmptyEntries);
            if (alternatives.Length == 0)
            {
                yield break;
            }

            options[p] = new (string, List<LexiconWord>)[alternatives.Length];
            for (var o = 0; o < alternatives.Length; o++)
            {
                var text = alternatives[o].Replace('_', ' ');
                options[p][o] = (text, ParseWords(text, cache));
            }
        }

        var chosen = new int[parts.Length];
        var texts = new string[parts.Length];
        while (true)
        {
            var count = 0;
            for (var p = 0; p < parts.Length; p++)
            {
                texts[p] = options[p][chosen[p]].Text;
                count += options[p][chosen[p]].Words.Count;
            }

            var words = new List<LexiconWord>(count);
            for (var p = 0; p < parts.Length; p++)
            {
                words.AddRange(options[p][chosen[p]].Words);
            }

            yield return (string.Join(' ', texts), words);

            var next = parts.Length - 1;
            while (next >= 0 && ++chosen[next] == options[next].Length)
            {
                chosen[next] = 0;
                next--;
            }

            if (next < 0)
            {
                yield break;
            }
        }
    }

    private static List<LexiconWord> ParseWords(string phrase, Dictionary<string, LexiconWord[]> cache)
    {
        var words = new List<LexiconWord>();
        foreach (var part in phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!cache.TryGetValue(part, out var parsed))
            {
                parsed = ParsePart(part);
                cache[part] = parsed;
            }

            words.AddRange(parsed);
        }

        return words;
    }

    /// <summary>One written word of a phrase; normalising it may give several words ("snap-chat") or a gap ("...").</summary>
    private static LexiconWord[] ParsePart(string part)
    {
        if (part == "...")
        {
            return [new LexiconWord(string.Empty, string.Empty, Prefix: false, Gap: true)];
        }

        var prefix = part.EndsWith('*');
        var body = prefix ? part[..^1] : part;
        var normalised = TextNormaliser.Normalise(body);
        var result = new LexiconWord[normalised.Tokens.Count];
        for (var t = 0; t < normalised.Tokens.Count; t++)
        {
            var token = normalised.Tokens[t];
            var isLast = t == normalised.Tokens.Count - 1;
            result[t] = new LexiconWord(normalised.Key(token).ToString(), normalised.Squeezed(token).ToString(), prefix && isLast, Gap: false);
        }

        return result;
    }

    private static string PrefixKey(string key) => key.Length >= 3 ? key[..3] : key;

    private static void AddTo(Dictionary<string, List<LexiconEntry>> map, string key, LexiconEntry entry)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        // Entries arrive once per key (the squeezed key is added only when it differs), so no duplicate check is needed.
        list.Add(entry);
    }
}

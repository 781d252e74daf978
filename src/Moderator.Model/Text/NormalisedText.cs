namespace Moderator.Model.Text;

/// <summary>What a token looked like before folding, used by the name and lexicon detectors.</summary>
[Flags]
public enum TokenShape
{
    None = 0,

    /// <summary>Only digits.</summary>
    Numeric = 1,

    /// <summary>First letter upper case in the original, the rest not all upper case.</summary>
    Capitalised = 2,

    /// <summary>Every letter upper case in the original (two letters or more).</summary>
    AllCaps = 4,

    /// <summary>Leetspeak digits or symbols were read as letters.</summary>
    Leet = 8,

    /// <summary>Contains a masking character such as '*' ("f**k").</summary>
    Masked = 16,

    /// <summary>Built by joining letters split by spaces or dots ("f a g", "c.u.n.t").</summary>
    Joined = 32,

    /// <summary>Contains letters outside ASCII (non-English names, other scripts).</summary>
    NonAscii = 64,
}

/// <summary>One word of the comment: where it is in the folded text and its de-obfuscated key.</summary>
public readonly record struct Token(int Start, int Length, int KeyStart, int KeyLength, int SqueezedStart, int SqueezedLength, TokenShape Shape, int AltStart = 0, int AltLength = 0)
{
    public int End => Start + Length;
}

/// <summary>
/// A comment after folding (case, accents, compatibility forms, look-alikes, invisible characters)
/// and tokenisation (leetspeak, repeats, masking, split letters), with a map back to the original
/// UTF-16 offsets so that every match can be shown in the text the person wrote.
/// </summary>
public sealed class NormalisedText
{
    /// <summary>Original offset of each folded character and one past the end; null when folding kept every offset.</summary>
    private readonly int[]? _toOriginal;
    private readonly char[] _keys;

    internal NormalisedText(string original, string folded, int[]? toOriginal, char[] keys, Token[] tokens, Token[] joined, Token[]? joinedView)
    {
        JoinedView = joinedView;
        Original = original;
        Folded = folded;
        _toOriginal = toOriginal;
        _keys = keys;
        Tokens = tokens;
        JoinedTokens = joined;
    }

    public string Original { get; }

    /// <summary>Lower case, accent-free, look-alikes mapped, invisible characters removed; punctuation kept.</summary>
    public string Folded { get; }

    public IReadOnlyList<Token> Tokens { get; }

    /// <summary>Words rebuilt from letters split by spaces or dots; matched by the lexicons only.</summary>
    public IReadOnlyList<Token> JoinedTokens { get; }

    /// <summary>The tokens with each run of split letters replaced by the rebuilt word; null when nothing was joined.</summary>
    public IReadOnlyList<Token>? JoinedView { get; }

    public ReadOnlySpan<char> Key(Token token) => _keys.AsSpan(token.KeyStart, token.KeyLength);

    /// <summary>The key with every repeated letter written once ("fuuck" → "fuck").</summary>
    public ReadOnlySpan<char> Squeezed(Token token) => _keys.AsSpan(token.SqueezedStart, token.SqueezedLength);

    /// <summary>The key with '1' and '|' read as 'l' instead of 'i' ("s1ut"); empty when the token has neither.</summary>
    public ReadOnlySpan<char> Alternative(Token token) => _keys.AsSpan(token.AltStart, token.AltLength);

    /// <summary>Offset in the original text of the folded character at <paramref name="foldedIndex"/>.</summary>
    public int OriginalIndex(int foldedIndex) =>
        _toOriginal is null ? Math.Clamp(foldedIndex, 0, Folded.Length) : _toOriginal[Math.Clamp(foldedIndex, 0, _toOriginal.Length - 1)];

    /// <summary>The stretch of the ORIGINAL text that the folded range [start, start+length) came from.</summary>
    public TextSpan ToOriginal(int foldedStart, int foldedLength)
    {
        if (Folded.Length == 0)
        {
            return new TextSpan(0, 0);
        }

        var start = OriginalIndex(foldedStart);
        var lastFolded = Math.Max(foldedStart, foldedStart + foldedLength - 1);
        var last = OriginalIndex(lastFolded);
        var end = last + 1;

        // Include the low surrogate of a pair so the span never splits a code point.
        if (end < Original.Length && char.IsLowSurrogate(Original[end]) && char.IsHighSurrogate(Original[end - 1]))
        {
            end++;
        }

        return new TextSpan(start, Math.Max(0, end - start));
    }

    public TextSpan ToOriginal(Token token) => ToOriginal(token.Start, token.Length);
}

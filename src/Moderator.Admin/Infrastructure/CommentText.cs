using System.Globalization;
using System.Text.Json;

namespace Moderator.Admin.Infrastructure;

/// <summary>A piece of the comment for display: plain text, highlighted when a reason matched it, or a made-visible control character.</summary>
public sealed record TextPiece(string Text, bool Highlighted, bool Control);

/// <summary>One reason as the workflow stored it (camelCase JSON).</summary>
public sealed record StoredReason(string Category, double Score, string Detector, string HouseRule, string Explanation, IReadOnlyList<StoredSpan> Spans);

public sealed record StoredSpan(int Start, int Length);

/// <summary>
/// Splits a comment into pieces for the item page. The page HTML-encodes every piece (never raw HTML); characters
/// that can disguise text (bidirectional overrides, zero-width characters) are shown as visible codes instead.
/// </summary>
public static class CommentText
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<StoredReason> Reasons(string? reasonsJson)
    {
        if (string.IsNullOrWhiteSpace(reasonsJson))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<StoredReason>>(reasonsJson, Json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static IReadOnlyDictionary<string, double> Scores(string? scoresJson)
    {
        if (string.IsNullOrWhiteSpace(scoresJson))
        {
            return new Dictionary<string, double>();
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, double>>(scoresJson, Json) ?? [];
        }
        catch (JsonException)
        {
            return new Dictionary<string, double>();
        }
    }

    public static IReadOnlyList<TextPiece> Pieces(string text, IEnumerable<StoredSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(text);
        var marked = new bool[text.Length];
        foreach (var span in spans ?? [])
        {
            var start = Math.Clamp(span.Start, 0, text.Length);
            var end = Math.Clamp(span.Start + Math.Max(0, span.Length), 0, text.Length);
            for (var i = start; i < end; i++)
            {
                marked[i] = true;
            }
        }

        var pieces = new List<TextPiece>();
        var run = new System.Text.StringBuilder();
        var runMarked = false;
        void Flush()
        {
            if (run.Length > 0)
            {
                pieces.Add(new TextPiece(run.ToString(), runMarked, false));
                run.Clear();
            }
        }

        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (IsDisguise(ch))
            {
                Flush();
                pieces.Add(new TextPiece(string.Create(CultureInfo.InvariantCulture, $"[U+{(int)ch:X4}]"), marked[i], true));
                continue;
            }

            if (marked[i] != runMarked)
            {
                Flush();
                runMarked = marked[i];
            }

            run.Append(ch);
        }

        Flush();
        return pieces;
    }

    /// <summary>Bidirectional controls and invisible characters used to disguise or reorder text.</summary>
    public static bool IsDisguise(char ch) =>
        ch is '\u200B' or '\u200C' or '\u200D' or '\u200E' or '\u200F' or '\u2060' or '\uFEFF' or '\u061C'
        || ch is >= '\u202A' and <= '\u202E'
        || ch is >= '\u2066' and <= '\u2069';

    /// <summary>Text for a one-line preview (thread, history): disguising characters shown as codes, then shortened.</summary>
    public static string Preview(string? text, int max = 280)
    {
        if (text is null)
        {
            return "(text removed under the retention policy)";
        }

        var shown = string.Concat(Pieces(text, []).Select(p => p.Text));
        return shown.Length <= max ? shown : string.Concat(shown.AsSpan(0, max), "…");
    }
}

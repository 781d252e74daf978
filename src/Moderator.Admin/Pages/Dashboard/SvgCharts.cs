using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Moderator.Admin.Pages.Dashboard;

/// <summary>
/// Small bar charts drawn on the server as SVG: no script, no CDN, presentation attributes only (the CSP forbids
/// inline styles). Every label is HTML-encoded. Each chart has a title and description for screen readers; the
/// page also gives the numbers as a table.
/// </summary>
public static class SvgCharts
{
    /// <summary>Colour-blind-safe palette (Okabe–Ito), dark enough against white for the bars' meaning.</summary>
    public static readonly IReadOnlyList<string> Palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#555555"];

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    /// <summary>Vertical stacked bars: one bar per day, one colour per series.</summary>
    public static IHtmlContent StackedBars(string id, string title, IReadOnlyList<string> columns, IReadOnlyList<(string Series, IReadOnlyList<int> Values)> series)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(series);
        const int Width = 520, Height = 240, Left = 36, Bottom = 40, Top = 10;
        var max = Math.Max(1, Enumerable.Range(0, columns.Count).Select(i => series.Sum(s => s.Values[i])).DefaultIfEmpty(0).Max());
        var slot = (Width - Left) / (double)Math.Max(1, columns.Count);
        var barWidth = Math.Max(4, slot * 0.7);
        var scale = (Height - Bottom - Top) / (double)max;
        var svg = Open(id, title, Width, Height + (series.Count * 18) + 8);
        Axis(svg, Left, Top, Width, Height - Bottom, max);
        for (var i = 0; i < columns.Count; i++)
        {
            var y = (double)(Height - Bottom);
            var x = Left + (i * slot) + ((slot - barWidth) / 2);
            for (var s = 0; s < series.Count; s++)
            {
                var h = series[s].Values[i] * scale;
                if (h > 0)
                {
                    y -= h;
                    svg.Append(Inv($"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{barWidth:0.#}\" height=\"{h:0.#}\" fill=\"{Palette[s % Palette.Count]}\"><title>{Encode(columns[i])} · {Encode(series[s].Series)}: {series[s].Values[i]}</title></rect>"));
                }
            }

            if (columns.Count <= 8 || i % ((columns.Count / 8) + 1) == 0)
            {
                svg.Append(Inv($"<text x=\"{x + (barWidth / 2):0.#}\" y=\"{Height - Bottom + 14}\" text-anchor=\"middle\">{Encode(columns[i])}</text>"));
            }
        }

        for (var s = 0; s < series.Count; s++)
        {
            var ly = Height + 4 + (s * 18);
            svg.Append(Inv($"<rect x=\"{Left}\" y=\"{ly}\" width=\"12\" height=\"12\" fill=\"{Palette[s % Palette.Count]}\"/><text x=\"{Left + 18}\" y=\"{ly + 10}\">{Encode(series[s].Series)}</text>"));
        }

        return Close(svg);
    }

    /// <summary>Horizontal bars with their values written beside them.</summary>
    public static IHtmlContent HorizontalBars(string id, string title, IReadOnlyList<(string Label, int Value)> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        const int Width = 520, LabelWidth = 170, Row = 26;
        var height = Math.Max(1, bars.Count) * Row + 10;
        var max = Math.Max(1, bars.Select(b => b.Value).DefaultIfEmpty(0).Max());
        var scale = (Width - LabelWidth - 50) / (double)max;
        var svg = Open(id, title, Width, height);
        if (bars.Count == 0)
        {
            svg.Append("<text x=\"0\" y=\"16\">No data yet</text>");
        }

        for (var i = 0; i < bars.Count; i++)
        {
            var y = 4 + (i * Row);
            var w = bars[i].Value * scale;
            svg.Append(Inv($"<text x=\"{LabelWidth - 8}\" y=\"{y + 15}\" text-anchor=\"end\">{Encode(Truncate(bars[i].Label, 26))}</text>"));
            svg.Append(Inv($"<rect x=\"{LabelWidth}\" y=\"{y}\" width=\"{Math.Max(1, w):0.#}\" height=\"{Row - 8}\" fill=\"{Palette[0]}\"/>"));
            svg.Append(Inv($"<text x=\"{LabelWidth + Math.Max(1, w) + 6:0.#}\" y=\"{y + 15}\">{bars[i].Value}</text>"));
        }

        return Close(svg);
    }

    private static StringBuilder Open(string id, string title, int width, int height) =>
        new StringBuilder().Append(Inv($"<svg class=\"chart\" id=\"{Encode(id)}\" role=\"img\" aria-labelledby=\"{Encode(id)}-title\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{Encode(id)}-title\">{Encode(title)}</title>"));

    private static HtmlString Close(StringBuilder svg) => new(svg.Append("</svg>").ToString());

    private static void Axis(StringBuilder svg, int left, int top, int width, int baseline, int max)
    {
        svg.Append(Inv($"<line x1=\"{left}\" y1=\"{baseline}\" x2=\"{width}\" y2=\"{baseline}\" stroke=\"#1b1b1b\"/>"));
        svg.Append(Inv($"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{baseline}\" stroke=\"#1b1b1b\"/>"));
        svg.Append(Inv($"<text x=\"{left - 4}\" y=\"{top + 8}\" text-anchor=\"end\">{max}</text><text x=\"{left - 4}\" y=\"{baseline}\" text-anchor=\"end\">0</text>"));
    }

    private static string Encode(string text) => Encoder.Encode(text);

    private static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

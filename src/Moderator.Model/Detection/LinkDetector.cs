using System.Text.RegularExpressions;
using Moderator.Model.Text;

namespace Moderator.Model.Detection;

/// <summary>
/// Links: shortened or unknown domains, links beside money or prize words, and links that pretend to be the school.
/// The school's own domains and public-service domains (gov.uk, sch.uk, nhs.uk) are trusted.
/// </summary>
public static partial class LinkDetector
{
    public const string Name = "link";

    private static readonly string[] Shorteners =
    [
        "bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "cutt.ly", "rb.gy", "shorturl.at", "tiny.cc", "rebrand.ly", "t.ly", "s.id", "v.gd", "qrco.de", "lnkd.in", "shorte.st", "adf.ly", "linktr.ee",
    ];

    private static readonly string[] TrustedSuffixes =
    [
        ".sch.uk", ".gov.uk", ".nhs.uk", ".ac.uk", ".police.uk", "bbc.co.uk", "parentpay.com", "nspcc.org.uk", "childline.org.uk", "ceop.police.uk", "thinkuknow.co.uk",
    ];

    private static readonly string[] SuspiciousTlds = [".xyz", ".top", ".click", ".tk", ".gq", ".ml", ".cf", ".ru", ".cn", ".win", ".vip", ".loan", ".bid", ".icu", ".buzz", ".live", ".shop"];

    private static readonly string[] MoneyWords =
    [
        "free", "win", "won", "winner", "prize", "£", "$", "cash", "giveaway", "claim", "voucher", "gift card", "crypto", "bitcoin", "earn", "offer", "discount", "deal", "money", "reward", "loan", "invest", "bonus", "iphone", "ipad",
    ];

    [GeneratedRegex(@"(?:https?://|www\.)[^\s<>""']{2,300}|(?<![@\w.\-])(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.){1,4}(?:com|co\.uk|org\.uk|uk|net|org|ly|io|gl|me|info|xyz|top|click|link|site|online|shop|biz|ru|cn|tk|gq|ml|cf|cc|co|app|live|store|win|vip|us|ee|at|de|icu|buzz|loan|bid)(?:/[^\s<>""']{0,300})?(?![a-z0-9])", RegexOptions.CultureInvariant, ContactDetector.TimeoutMs)]
    private static partial Regex Url();

    public static void Detect(NormalisedText text, ScoringContext? context, DetectionResult result)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(result);
        var folded = text.Folded;
        if (!MayContainLink(folded))
        {
            return;
        }

        foreach (var match in Url().EnumerateMatches(folded))
        {
            var url = folded.AsSpan(match.Index, match.Length);
            var host = Host(url);
            if (host.IsEmpty || IsTrusted(host, context))
            {
                continue;
            }

            result.HasLink = true;
            var span = text.ToOriginal(match.Index, match.Length);
            var (score, explanation) = Judge(folded, host, context);
            result.Add(new DetectorHit(Category.Spam, score, Name, explanation, [span]));
        }
    }

    private static (double Score, string Explanation) Judge(string folded, ReadOnlySpan<char> host, ScoringContext? context)
    {
        foreach (var word in MoneyWords)
        {
            if (folded.Contains(word, StringComparison.Ordinal))
            {
                return (0.93, "a link beside money or prize words");
            }
        }

        if (ImpersonatesSchool(folded, host, context))
        {
            return (0.9, "a link that presents itself as the school's");
        }

        foreach (var shortener in Shorteners)
        {
            if (host.SequenceEqual(shortener))
            {
                return (0.78, "a shortened link that hides where it goes");
            }
        }

        foreach (var tld in SuspiciousTlds)
        {
            if (host.EndsWith(tld, StringComparison.Ordinal))
            {
                return (0.8, "a link to a domain of a kind often used for scams");
            }
        }

        return (0.55, "a link to an unknown domain");
    }

    private static bool ImpersonatesSchool(string folded, ReadOnlySpan<char> host, ScoringContext? context)
    {
        if (folded.Contains("official", StringComparison.Ordinal) || folded.Contains("new page", StringComparison.Ordinal))
        {
            return true;
        }

        var name = context?.SchoolName;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        // A host made of the school's name words ("stmaryscofe-primary.info") that is not one of its domains.
        var compactHost = new string(host.ToArray().Where(char.IsLetterOrDigit).ToArray());
        var words = TextNormaliser.Normalise(name);
        var significant = 0;
        var found = 0;
        foreach (var token in words.Tokens)
        {
            var key = words.Key(token);
            if (key.Length < 4)
            {
                continue;
            }

            significant++;
            if (compactHost.Contains(key.ToString(), StringComparison.Ordinal))
            {
                found++;
            }
        }

        return significant > 0 && found * 2 >= significant;
    }

    private static bool IsTrusted(ReadOnlySpan<char> host, ScoringContext? context)
    {
        foreach (var suffix in TrustedSuffixes)
        {
            if (host.EndsWith(suffix, StringComparison.Ordinal) || host.SequenceEqual(suffix.TrimStart('.')))
            {
                return true;
            }
        }

        if (context?.SchoolDomains is { } domains)
        {
            foreach (var domain in domains)
            {
                var d = domain.Trim().ToLowerInvariant();
                if (d.Length > 0 && (host.SequenceEqual(d) || (host.EndsWith(d, StringComparison.Ordinal) && host.Length > d.Length && host[host.Length - d.Length - 1] == '.')))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Cheap gate: a dot between two letters or digits ("bit.ly", "www.x") or a scheme; sentence full stops are not.</summary>
    private static bool MayContainLink(string folded)
    {
        var from = 0;
        while (true)
        {
            var dot = folded.IndexOf('.', from);
            if (dot < 0)
            {
                return false;
            }

            if (dot > 0 && dot + 1 < folded.Length && char.IsAsciiLetterOrDigit(folded[dot - 1]) && char.IsAsciiLetterOrDigit(folded[dot + 1]))
            {
                return true;
            }

            from = dot + 1;
        }
    }

    internal static ReadOnlySpan<char> Host(ReadOnlySpan<char> url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            url = url[(scheme + 3)..];
        }

        if (url.StartsWith("www.", StringComparison.Ordinal))
        {
            url = url[4..];
        }

        var end = url.IndexOfAny("/?#:");
        var host = end >= 0 ? url[..end] : url;
        return host.TrimEnd('.');
    }
}

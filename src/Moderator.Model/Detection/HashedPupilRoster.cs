using System.Security.Cryptography;
using System.Text;
using Moderator.Model.Text;

namespace Moderator.Model.Detection;

/// <summary>
/// A school's pupil roster held only as HMAC-SHA256 hashes of normalised full names, keyed with a per-school
/// secret. Plain names are hashed once by <see cref="HashNames"/> (at upload) and never stored.
/// </summary>
public sealed class HashedPupilRoster : IPupilRoster
{
    private readonly byte[] _key;
    private readonly HashSet<string> _hashes;

    /// <param name="key">The school's secret key (at least 16 bytes).</param>
    /// <param name="hashes">Lower-case hex HMAC-SHA256 hashes of normalised names, from <see cref="HashNames"/>.</param>
    public HashedPupilRoster(ReadOnlySpan<byte> key, IEnumerable<string> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (key.Length < 16)
        {
            throw new ArgumentException("The roster key must be at least 16 bytes.", nameof(key));
        }

        _key = key.ToArray();
        _hashes = new HashSet<string>(hashes.Select(h => h.ToLowerInvariant()), StringComparer.Ordinal);
    }

    public int Count => _hashes.Count;

    public bool Contains(string normalisedFullName)
    {
        ArgumentNullException.ThrowIfNull(normalisedFullName);
        return normalisedFullName.Length > 0 && _hashes.Contains(Hash(_key, normalisedFullName));
    }

    /// <summary>Hashes plain full names for upload; the plain names are not kept anywhere.</summary>
    public static IReadOnlyList<string> HashNames(ReadOnlySpan<byte> key, IEnumerable<string> plainFullNames)
    {
        ArgumentNullException.ThrowIfNull(plainFullNames);
        var keyCopy = key.ToArray();
        return plainFullNames.Select(NormaliseName).Where(n => n.Length > 0).Select(n => Hash(keyCopy, n)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The form both sides hash: folded (case, accents, look-alikes), words joined by single spaces, apostrophes
    /// dropped, hyphens kept ("Jayden  SMITH-Okafor" → "jayden smith-okafor"; "Siobhán O'Brien" → "siobhan obrien").
    /// </summary>
    public static string NormaliseName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalised = TextNormaliser.Normalise(name);
        var builder = new StringBuilder(name.Length);
        Token? previous = null;
        foreach (var token in normalised.Tokens)
        {
            if (previous is { } p)
            {
                var hyphen = normalised.Folded.AsSpan(p.End, token.Start - p.End).Trim().SequenceEqual("-");
                builder.Append(hyphen ? '-' : ' ');
            }

            builder.Append(normalised.Key(token));
            previous = token;
        }

        return builder.ToString();
    }

    private static string Hash(byte[] key, string normalisedName) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(normalisedName)));
}

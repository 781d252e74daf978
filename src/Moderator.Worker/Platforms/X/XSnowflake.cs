using System.Globalization;

namespace Moderator.Worker.Platforms.X;

/// <summary>
/// X post ids are snowflakes: the creation time in milliseconds since the X epoch sits above bit 22. Ids are compared
/// as numbers (a longer id is newer), and the time in an id tells whether it is still inside recent search's window.
/// </summary>
public static class XSnowflake
{
    /// <summary>2010-11-04T01:42:54.657Z, the zero of X's snowflake clock.</summary>
    public const long EpochMilliseconds = 1_288_834_974_657;

    public static bool TryTimeOf(string id, out DateTimeOffset time)
    {
        time = default;
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeMilliseconds((value >> 22) + EpochMilliseconds);
        return true;
    }

    /// <summary>The id a post created at <paramref name="time"/> would have with the given low bits (machine and sequence).</summary>
    public static string IdAt(DateTimeOffset time, long lowBits)
    {
        var milliseconds = time.ToUnixTimeMilliseconds() - EpochMilliseconds;
        return ((milliseconds << 22) | (lowBits & 0x3F_FFFF)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Numeric order of two decimal ids (no parsing limits: longer is larger, then digit by digit).</summary>
    public static int Compare(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
    }

    public static string Max(string? a, string? b) =>
        a is null ? b! : b is null ? a : Compare(a, b) >= 0 ? a : b;
}

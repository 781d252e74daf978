using System.Globalization;

namespace Moderator.Admin.Infrastructure;

/// <summary>Short, readable durations and times for the pages ("3 h 20 min", "22 Nov 10:04").</summary>
public static class Durations
{
    public static string Brief(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalMinutes < 1 ? "under a minute"
            : span.TotalHours < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min")
            : span.TotalDays < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} d {span.Hours} h");
    }

    /// <summary>A UTC time as the school reads it (UK time).</summary>
    public static string At(DateTimeOffset at)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        return TimeZoneInfo.ConvertTime(at, zone).ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture);
    }

    public static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

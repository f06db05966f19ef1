using System.Globalization;
using System.Text.RegularExpressions;
using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>What an Unlimited&lt;T&gt; parameter counts: the catalogue names only "Unlimited", its name says the rest.</summary>
internal enum UnlimitedOf
{
    /// <summary>ByteQuantifiedSize: quotas and sizes.</summary>
    Size,

    /// <summary>EnhancedTimeSpan: durations, intervals, age limits.</summary>
    TimeSpan,

    /// <summary>A count: ResultSize, limits, attempts.</summary>
    Count,
}

/// <summary>Exchange's text forms of sizes, durations and Unlimited, read as its parameter binding reads them.</summary>
internal static partial class ParameterValues
{
    public const string Unlimited = "Unlimited";

    private static readonly (string Unit, long Factor)[] Units =
        [("TB", 1L << 40), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("B", 1)];

    public static UnlimitedOf UnlimitedKind(string parameter) =>
        parameter.EndsWith("ResultSize", StringComparison.OrdinalIgnoreCase) || parameter.Equals("LineWrapSize", StringComparison.OrdinalIgnoreCase) ? UnlimitedOf.Count
        : parameter.EndsWith("Quota", StringComparison.OrdinalIgnoreCase) || parameter.EndsWith("Size", StringComparison.OrdinalIgnoreCase) ? UnlimitedOf.Size
        : TimeSpanName().IsMatch(parameter) ? UnlimitedOf.TimeSpan
        : UnlimitedOf.Count;

    /// <summary>
    /// A ByteQuantifiedSize: "49GB", "49 GB", "1.5 GB", "52613349376" (bytes), or the printed form
    /// "49 GB (52,613,349,376 bytes)", whose exact byte count wins.
    /// </summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        text = text.Trim();
        if (PrintedSize().Match(text) is { Success: true } printed)
        {
            return long.TryParse(printed.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out bytes);
        }

        foreach (var (unit, factor) in Units)
        {
            if (text.EndsWith(unit, StringComparison.OrdinalIgnoreCase)
                && decimal.TryParse(text[..^unit.Length].Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                bytes = (long)(amount * factor);
                return amount >= 0;
            }
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out bytes);
    }

    /// <summary>An EnhancedTimeSpan: "d.hh:mm:ss", "hh:mm:ss", or a number of days ("30").</summary>
    public static bool TryParseTimeSpan(string text, out TimeSpan value)
    {
        text = text.Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            value = TimeSpan.FromDays(days);
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }

    /// <summary>The value as Exchange prints it (and stores it): "49 GB (52,613,349,376 bytes)", "30.00:00:00", "500" or "Unlimited".</summary>
    /// <returns>False when the text is not a value of that kind.</returns>
    public static bool TryNormalizeUnlimited(string text, UnlimitedOf kind, out string normalized)
    {
        normalized = Unlimited;
        if (text.Trim().Equals(Unlimited, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        switch (kind)
        {
            case UnlimitedOf.Size when TryParseSize(text, out var bytes):
                normalized = ByteQuantity.Format(bytes);
                return true;
            case UnlimitedOf.TimeSpan when TryParseTimeSpan(text, out var span):
                normalized = FormatTimeSpan(span);
                return true;
            case UnlimitedOf.Count when long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count):
                normalized = count.ToString(CultureInfo.InvariantCulture);
                return true;
            default:
                return false;
        }
    }

    public static string FormatTimeSpan(TimeSpan span) => span.ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[\d.]+\s*[KMGT]?B\s*\(([\d,]+) bytes\)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PrintedSize();

    [GeneratedRegex("Duration|Interval|AgeLimit|Period|Expiration|InactivityTime|For$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TimeSpanName();
}

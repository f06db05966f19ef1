using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ExoAdmin.Engine.Model;

/// <summary>
/// A size in bytes that prints as Exchange prints it, "235.5 MB (246,913,578 bytes)": the largest binary unit
/// that keeps the value at least 1, four significant digits, then the exact count. Offers the conversions
/// scripts written for remote PowerShell's ByteQuantifiedSize call (ToMB(), ToGB()…).
/// </summary>
public readonly struct ByteQuantifiedSize : IComparable<ByteQuantifiedSize>, IEquatable<ByteQuantifiedSize>, IComparable
{
    private static readonly string[] Units = { "B", "KB", "MB", "GB", "TB", "PB" };
    private static readonly Regex Amount = new(@"^\s*(\d+(?:\.\d+)?)\s*([KMGTP]?B)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex Text = new(@"^\s*[\d.,]+\s*[KMGTP]?B\s*\(([\d,.\s]+)\s*bytes\)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public ByteQuantifiedSize(ulong bytes) => Bytes = bytes;

    /// <summary>The byte count; public so ConvertTo-Json writes it (it reflects public properties, and a size without one became {}).</summary>
    public ulong Bytes { get; }

    public ulong ToBytes() => Bytes;

    public ulong ToKB() => Bytes >> 10;

    public ulong ToMB() => Bytes >> 20;

    public ulong ToGB() => Bytes >> 30;

    public ulong ToTB() => Bytes >> 40;

    /// <summary>Reads "1.5 GB (1,610,612,736 bytes)" as the service writes it; the byte count decides.</summary>
    public static bool TryParse(string? text, out ByteQuantifiedSize size)
    {
        size = default;
        var match = text is null ? null : Text.Match(text);
        if (match is null || !match.Success)
        {
            return false;
        }

        var digits = Regex.Replace(match.Groups[1].Value, @"[^\d]", string.Empty);
        if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
        {
            return false;
        }

        size = new ByteQuantifiedSize(bytes);
        return true;
    }

    /// <summary>
    /// What PowerShell calls to compare a size with text (<c>$size -gt '50 GB'</c>): the service's form, "50GB",
    /// "1.5 MB" or a byte count, as Exchange's ByteQuantifiedSize.Parse takes them.
    /// </summary>
    public static ByteQuantifiedSize Parse(string text)
    {
        if (TryParse(text, out var size))
        {
            return size;
        }

        var match = text is null ? null : Amount.Match(text);
        if (match is null || !match.Success
            || !decimal.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            throw new FormatException($"'{text}' is not a size: write it as 50GB, 1.5 MB or a number of bytes.");
        }

        var unit = Array.IndexOf(Units, match.Groups[2].Success && match.Groups[2].Value.Length > 0 ? match.Groups[2].Value.ToUpperInvariant() : "B");
        return new ByteQuantifiedSize((ulong)Math.Round(amount * (decimal)Math.Pow(1024, unit), MidpointRounding.AwayFromZero));
    }

    public override string ToString()
    {
        var unit = 0;
        var value = (double)Bytes;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        var integerDigits = value < 1 ? 1 : (int)Math.Floor(Math.Log10(value)) + 1;
        var rounded = Math.Round(value, Math.Max(0, 4 - integerDigits), MidpointRounding.AwayFromZero);
        return string.Format(CultureInfo.InvariantCulture, "{0:0.###} {1} ({2:N0} bytes)", rounded, Units[unit], Bytes);
    }

    public int CompareTo(ByteQuantifiedSize other) => Bytes.CompareTo(other.Bytes);

    public int CompareTo(object? obj) => obj is ByteQuantifiedSize other ? CompareTo(other) : 1;

    public bool Equals(ByteQuantifiedSize other) => Bytes == other.Bytes;

    public override bool Equals(object? obj) => obj is ByteQuantifiedSize other && Equals(other);

    public override int GetHashCode() => Bytes.GetHashCode();
}

/// <summary>
/// A size limit or measurement that may be Unlimited, like Exchange's Unlimited&lt;ByteQuantifiedSize&gt;: prints
/// "Unlimited" or the size, and exposes the size as <see cref="Value"/> (so <c>$_.TotalItemSize.Value.ToMB()</c> works).
/// </summary>
public sealed class UnlimitedSize : IComparable<UnlimitedSize>, IComparable, IEquatable<UnlimitedSize>
{
    private const string UnlimitedText = "Unlimited";

    private UnlimitedSize(ByteQuantifiedSize? value) => Size = value;

    public static UnlimitedSize Unlimited { get; } = new(null);

    public bool IsUnlimited => Size is null;

    /// <summary>The size; throws for Unlimited, as the original does.</summary>
    public ByteQuantifiedSize Value => Size ?? throw new InvalidOperationException("An Unlimited size has no value.");

    private ByteQuantifiedSize? Size { get; }

    public static UnlimitedSize FromBytes(long bytes) => bytes == long.MinValue ? Unlimited : new UnlimitedSize(new ByteQuantifiedSize((ulong)Math.Max(0, bytes)));

    /// <summary>"Unlimited" or "1.5 GB (1,610,612,736 bytes)".</summary>
    public static bool TryParse(string? text, out UnlimitedSize size)
    {
        if (string.Equals(text?.Trim(), UnlimitedText, StringComparison.OrdinalIgnoreCase))
        {
            size = Unlimited;
            return true;
        }

        if (ByteQuantifiedSize.TryParse(text, out var value))
        {
            size = new UnlimitedSize(value);
            return true;
        }

        size = Unlimited;
        return false;
    }

    /// <summary>
    /// What PowerShell calls to compare with text: <c>$_.ProhibitSendQuota -eq 'Unlimited'</c>,
    /// <c>$_.TotalItemSize -gt '50GB'</c>.
    /// </summary>
    public static UnlimitedSize Parse(string text) =>
        string.Equals(text?.Trim(), UnlimitedText, StringComparison.OrdinalIgnoreCase) ? Unlimited : new UnlimitedSize(ByteQuantifiedSize.Parse(text!));

    public override string ToString() => Size?.ToString() ?? UnlimitedText;

    /// <summary>Unlimited sorts after every size.</summary>
    public int CompareTo(UnlimitedSize? other) =>
        other is null ? 1
        : IsUnlimited ? (other.IsUnlimited ? 0 : 1)
        : other.IsUnlimited ? -1 : Value.CompareTo(other.Value);

    public int CompareTo(object? obj) => CompareTo(obj as UnlimitedSize);

    public bool Equals(UnlimitedSize? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => Equals(obj as UnlimitedSize);

    public override int GetHashCode() => Size?.GetHashCode() ?? 0;
}

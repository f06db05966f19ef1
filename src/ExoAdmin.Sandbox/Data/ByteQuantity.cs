using System.Globalization;

namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// Formats sizes the way Exchange's ByteQuantifiedSize prints them, e.g. "99 GB (106,300,440,576 bytes)":
/// the largest binary unit that keeps the value at least 1, up to three decimals, then the exact byte count.
/// </summary>
internal static class ByteQuantity
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB"];

    public static string Format(long bytes)
    {
        var unit = 0;
        var value = (double)bytes;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        var scaled = Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);
        return $"{scaled} {Units[unit]} ({bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes)";
    }

    public static long Gigabytes(double gb) => (long)(gb * 1024 * 1024 * 1024);

    public static long Megabytes(double mb) => (long)(mb * 1024 * 1024);
}

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// Where the next page starts: the ordinal of its first item in the stable order and how many items earlier
/// pages returned (for ResultSize). <see cref="PageLinks"/> turns it into a next link's $skiptoken and back.
/// </summary>
internal readonly record struct ContinuationToken(int NextOrdinal, int Returned)
{
    public static ContinuationToken Start => default;
}

/// <summary>The page size a client asks for with "Prefer: odata.maxpagesize=N" (with or without a trailing ';').</summary>
internal static partial class PageSize
{
    public const int Maximum = 1000;

    /// <summary>The page size to serve: the preference capped to 1..1000, else 1000. Acknowledged in Preference-Applied.</summary>
    public static int Negotiate(HttpContext context)
    {
        var match = MaxPageSizePreference().Match(context.Request.Headers["Prefer"].ToString());
        if (!match.Success)
        {
            return Maximum;
        }

        var size = int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var requested)
            ? Math.Clamp(requested, 1, Maximum)
            : Maximum;
        context.Response.Headers["Preference-Applied"] = "odata.maxpagesize=" + size.ToString(CultureInfo.InvariantCulture);
        return size;
    }

    [GeneratedRegex(@"odata\.maxpagesize\s*=\s*""?(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex MaxPageSizePreference();
}

/// <summary>Writes one page of a result as the "value" array.</summary>
internal static class PageWriter
{
    /// <summary>Writes up to <paramref name="pageSize"/> items, flushing as it goes.</summary>
    /// <returns>How many were written, and the first item left for the next page (null on the last page).</returns>
    public static async Task<(int Written, T? Next)> WriteValueAsync<T>(
        Utf8JsonWriter writer, HttpResponse response, IEnumerable<T> items, int pageSize, Action<Utf8JsonWriter, T> write)
        where T : class
    {
        using var enumerator = items.GetEnumerator();
        writer.WriteStartArray("value");
        var written = 0;
        var hasItem = enumerator.MoveNext();
        while (hasItem && written < pageSize)
        {
            write(writer, enumerator.Current);
            written++;
            hasItem = enumerator.MoveNext();
            await JsonResponse.FlushWhenFullAsync(writer, response);
        }

        writer.WriteEndArray();
        return (written, hasItem ? enumerator.Current : null);
    }
}

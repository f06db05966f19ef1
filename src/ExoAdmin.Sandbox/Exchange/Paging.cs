using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// Where the next page starts: the ordinal of its first item in the stable order and how many items earlier
/// pages returned (for ResultSize). Opaque to clients: base64url of "ordinal:returned".
/// </summary>
internal readonly record struct ContinuationToken(int NextOrdinal, int Returned)
{
    public static ContinuationToken Start => default;

    public string Encode() => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
        NextOrdinal.ToString(CultureInfo.InvariantCulture) + ":" + Returned.ToString(CultureInfo.InvariantCulture)));

    /// <exception cref="ExchangeErrorException">The token was not made by this service.</exception>
    public static ContinuationToken Parse(string? token)
    {
        if (token is null)
        {
            return Start;
        }

        var parts = Base64Url.IsValid(token) ? Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token)).Split(':') : [];
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var returned)
            ? new ContinuationToken(ordinal, returned)
            : throw new ExchangeErrorException(ExchangeErrors.BadRequest($"The $skiptoken '{token}' is not valid."));
    }
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

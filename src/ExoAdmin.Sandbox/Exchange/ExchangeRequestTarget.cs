using System.Text;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// An Exchange admin API path, parsed from the raw request target: /adminapi/{v1.0|beta}/{tenant}/{resource}
/// with an optional OData key, e.g. Mailbox('YWxleA==') (segments matched case-insensitively). The raw text is
/// parsed by hand because a base64 key may hold '/', '+' and '=' either as-is or percent-encoded, which route
/// templates and the decoded request path cannot represent.
/// </summary>
/// <param name="RawPath">The path exactly as sent, reused for next links.</param>
/// <param name="RawPrefix">"/adminapi/{version}/{tenant}" as sent: the service root in @odata.context.</param>
/// <param name="Key">The decoded key literal, or null when the path has none.</param>
/// <param name="Remainder">Anything after the resource and key ("/MailboxPermission"…), empty when none.</param>
/// <param name="RawKey">The key literal as sent (percent-escapes kept), for answers that name it back (@odata.context).</param>
/// <param name="RawRemainder">The remainder as sent.</param>
internal sealed record ExchangeRequestTarget(
    string RawPath, string RawPrefix, string TenantSegment, string Resource, string? Key, string Remainder, string? RawKey, string RawRemainder)
{
    private static readonly string[] Versions = ["v1.0", "beta"];

    public static bool TryParse(string rawPath, out ExchangeRequestTarget target)
    {
        target = null!;
        var segments = rawPath.Split('/', 5);
        if (segments.Length < 5 || segments[0].Length != 0
            || !segments[1].Equals("adminapi", StringComparison.OrdinalIgnoreCase)
            || !Versions.Contains(segments[2], StringComparer.OrdinalIgnoreCase)
            || segments[3].Length == 0)
        {
            return false;
        }

        var resourceText = Uri.UnescapeDataString(segments[4]);
        var nameEnd = resourceText.IndexOfAny(['(', '/']);
        var resource = nameEnd < 0 ? resourceText : resourceText[..nameEnd];
        var rest = resourceText[resource.Length..];
        string? key = null;
        if (rest.StartsWith('('))
        {
            if (!TryParseKey(rest, out key, out var keyLength))
            {
                return false;
            }

            rest = rest[keyLength..];
        }

        if (resource.Length == 0)
        {
            return false;
        }

        // The same split of the text as sent; a key whose quotes were percent-escaped is named back escaped.
        var raw = segments[4];
        var rawNameEnd = raw.IndexOfAny(['(', '/']);
        var rawRest = rawNameEnd < 0 ? string.Empty : raw[rawNameEnd..];
        string? rawKey = null;
        if (key is not null)
        {
            if (rawRest.StartsWith('(') && TryParseKey(rawRest, out rawKey, out var rawKeyLength))
            {
                rawRest = rawRest[rawKeyLength..];
            }
            else
            {
                (rawKey, rawRest) = (Uri.EscapeDataString(key), rest);
            }
        }

        target = new ExchangeRequestTarget(
            rawPath, string.Join('/', segments[..4]), Uri.UnescapeDataString(segments[3]), resource, key, rest, rawKey, rawRest);
        return true;
    }

    /// <summary>
    /// "Resource('raw key')": the entity this request addresses, as @odata.context names the path of a contained
    /// collection (§18.3). Characters that would end a path segment inside the key are escaped.
    /// </summary>
    public string KeyedResource => $"{Resource}('{EscapeInPath(RawKey ?? string.Empty)}')";

    /// <summary>A raw key literal made safe inside a context URL's path: '/', '?' and '#' escaped, all else as sent.</summary>
    public static string EscapeInPath(string rawLiteral) =>
        rawLiteral.Replace("/", "%2F", StringComparison.Ordinal).Replace("?", "%3F", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal);

    /// <summary>
    /// Parses "('literal')", where '' inside the literal stands for one quote (OData string literal), and a function's one
    /// named argument "(Identity='literal')" the same way (GetMobileDeviceStatisticsByIdentity, §6.3).
    /// </summary>
    private static bool TryParseKey(string text, out string? key, out int length)
    {
        key = null;
        length = 0;
        var quote = text.IndexOf('\'');
        var name = quote > 1 ? text[1..quote] : string.Empty;
        if (text.Length < 4 || quote < 1 || (name.Length > 0 && !(name.EndsWith('=') && name[..^1].All(char.IsLetterOrDigit))))
        {
            return false;
        }

        var literal = new StringBuilder();
        var i = quote + 1;
        while (i < text.Length)
        {
            if (text[i] == '\'')
            {
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    literal.Append('\'');
                    i += 2;
                    continue;
                }

                break;
            }

            literal.Append(text[i++]);
        }

        if (i + 1 >= text.Length || text[i + 1] != ')')
        {
            return false;
        }

        key = literal.ToString();
        length = i + 2;
        return true;
    }
}

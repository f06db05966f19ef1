using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// What tracing may show of a request. Credentials (Authorization, cookies, tokens, assertions,
/// passwords, secrets, signatures) are replaced by "[redacted]" wherever they could travel: header
/// values and query string values. Everything else is shown as sent, because request ids, anchors
/// and paths are what an admin needs to trace a call with support.
/// </summary>
internal static class Redaction
{
    public const string Mask = "[redacted]";

    private static readonly string[] SensitiveHeaderParts = { "authorization", "cookie", "token", "assertion", "password", "secret", "signature", "api-key", "apikey" };

    private static readonly HashSet<string> SensitiveQueryNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "access_token", "id_token", "refresh_token", "token", "client_secret", "client_assertion", "assertion",
        "password", "code", "sig", "signature", "secret", "key", "api-key",
    };

    /// <summary>True when a header's value must never be shown.</summary>
    public static bool IsSensitiveHeader(string name)
    {
        var lower = name.ToLowerInvariant();
        return SensitiveHeaderParts.Any(part => lower.Contains(part));
    }

    /// <summary>"Name: value" with the value masked when it is a credential; Bearer keeps its scheme.</summary>
    public static string Header(string name, IEnumerable<string> values)
    {
        var value = string.Join(", ", values);
        if (!IsSensitiveHeader(name))
        {
            return $"{name}: {value}";
        }

        var space = value.IndexOf(' ');
        var scheme = space > 0 && name.EndsWith("authorization", StringComparison.OrdinalIgnoreCase) ? value.Substring(0, space + 1) : string.Empty;
        return $"{name}: {scheme}{Mask}";
    }

    /// <summary>Path and query of a URI, with the values of credential-like query parameters masked.</summary>
    public static string PathAndQuery(Uri uri)
    {
        var query = uri.Query;
        if (query.Length <= 1)
        {
            return uri.AbsolutePath;
        }

        var text = new StringBuilder(uri.AbsolutePath).Append('?');
        var pairs = query.Substring(1).Split('&');
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i > 0)
            {
                text.Append('&');
            }

            var equals = pairs[i].IndexOf('=');
            var name = equals < 0 ? pairs[i] : pairs[i].Substring(0, equals);
            text.Append(equals >= 0 && SensitiveQueryNames.Contains(Uri.UnescapeDataString(name)) ? name + "=" + Mask : pairs[i]);
        }

        return text.ToString();
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// What tracing and errors may show of a request and its answer. Credentials (Authorization, cookies, tokens,
/// assertions, passwords, secrets, signatures) are replaced by "[redacted]" wherever they could travel: header values,
/// query string values, and the text of an answer that echoes them (a service error quoting the Authorization header).
/// Everything else is shown as sent, because request ids, anchors and paths are what an admin needs to trace a call with
/// support.
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

    // A JWT (three base64url parts, the first an encoded JSON header), and a scheme followed by a credential.
    private static readonly Regex Jwt = new(@"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant);
    private static readonly Regex SchemeCredential = new(@"\b(Bearer|Basic|PoP)\s+[A-Za-z0-9._~+/=-]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>
    /// Text from the service (an error body) with every credential it may echo masked: the token the request carried,
    /// anything shaped like a JWT, and any "Bearer …" or "Basic …" credential.
    /// </summary>
    public static string Text(string text, string? token)
    {
        if (!string.IsNullOrEmpty(token))
        {
            text = text.Replace(token, Mask);
        }

        text = Jwt.Replace(text, Mask);
        return SchemeCredential.Replace(text, match => match.Groups[1].Value + " " + Mask);
    }

    /// <summary>" on 'identity'" for messages about a request's target, or nothing when it has none.</summary>
    public static string TargetText(object? target) => target is null ? string.Empty : $" on '{target}'";

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

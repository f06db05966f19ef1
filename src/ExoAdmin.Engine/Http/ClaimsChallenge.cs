using System;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// Reads the claims="base64 JSON" parameter of a WWW-Authenticate challenge (continuous access
/// evaluation), which MSAL needs, decoded, to get a token that satisfies it.
/// </summary>
internal static class ClaimsChallenge
{
    private static readonly Regex ClaimsParameter = new("claims=\"(.*?)\"", RegexOptions.CultureInvariant);

    public static string? FromResponse(HttpResponseMessage response)
    {
        foreach (var challenge in response.Headers.WwwAuthenticate)
        {
            var claims = FromHeader(challenge.ToString());
            if (claims is not null)
            {
                return claims;
            }
        }

        return null;
    }

    public static string? FromHeader(string header)
    {
        var match = ClaimsParameter.Match(header);
        if (!match.Success || match.Groups[1].Value.Length == 0)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(match.Groups[1].Value));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

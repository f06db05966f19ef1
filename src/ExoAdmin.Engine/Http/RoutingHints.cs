namespace ExoAdmin.Engine.Http;

/// <summary>
/// The two X-AnchorMailbox values a connection sends when a request names no mailbox (§6.2): the ConnectionContext hint
/// (module file and InvokeCommand) and the Get-EXO* hint. App-only connections anchor on the system mailbox, as
/// <c>APP:SystemMailbox{…}@&lt;tenant id&gt;</c> for the former and <c>UPN:SystemMailbox{…}@&lt;organization&gt;</c> for the
/// latter; users anchor on themselves for both; Security &amp; Compliance on <c>UPN:SystemMailbox{…}@&lt;organization&gt;</c> (§15).
/// </summary>
internal static class RoutingHints
{
    /// <summary>The anchor mailbox of app-only connections (§6.2).</summary>
    public const string SystemMailbox = "SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}";

    /// <param name="userPrincipalName">The user the connection acts as; null for app-only (certificate, managed identity, a token without -UserPrincipalName).</param>
    /// <param name="tenantId">The token's tid, or the organization where the token has none (§6.2's last -AccessToken row).</param>
    /// <param name="organization">-Organization (or -DelegatedOrganization).</param>
    public static (string Context, string OData) For(bool isCompliance, string? userPrincipalName, string tenantId, string? organization)
    {
        if (userPrincipalName is not null && !isCompliance)
        {
            return ($"UPN:{userPrincipalName}", $"UPN:{userPrincipalName}");
        }

        var system = $"UPN:{SystemMailbox}@{organization ?? tenantId}";
        return isCompliance ? (system, system) : ($"APP:{SystemMailbox}@{tenantId}", system);
    }
}

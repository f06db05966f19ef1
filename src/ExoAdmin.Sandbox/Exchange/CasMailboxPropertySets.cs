using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// Get-EXOCasMailbox's property sets, with the members Microsoft documents for each ("Property sets in Exchange
/// Online PowerShell module cmdlets"). Without PropertySet the service answers Minimum; All is every property;
/// $select adds properties to the sets asked for.
/// </summary>
internal static class CasMailboxPropertySets
{
    private static readonly string[] Keys = ["ExternalDirectoryObjectId", "Guid", "Identity", "Name", "OrganizationId"];

    private static readonly Dictionary<string, string[]> Sets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Minimum"] =
        [
            "ActiveSyncEnabled", "DisplayName", "ECPEnabled", "EmailAddresses", "EwsEnabled", "ExchangeVersion", "Guid", "Identity",
            "ImapEnabled", "MAPIEnabled", "Name", "OWAEnabled", "OrganizationId", "PopEnabled", "PrimarySmtpAddress", "ServerLegacyDN",
        ],
        ["ActiveSync"] =
        [
            .. Keys, "ActiveSyncAllowedDeviceIDs", "ActiveSyncBlockedDeviceIDs", "ActiveSyncEnabled", "ActiveSyncMailboxPolicy",
            "ActiveSyncMailboxPolicyIsDefaulted", "ActiveSyncSuppressReadReceipt", "HasActiveSyncDevicePartnership",
        ],
        ["Ews"] = [.. Keys, "EwsAllowMacOutlook", "EwsAllowOutlook", "EwsEnabled"],
        ["Imap"] =
        [
            .. Keys, "ImapEnableExactRFC822Size", "ImapEnabled", "ImapForceICalForCalendarRetrievalOption", "ImapMessagesRetrievalMimeFormat",
            "ImapSuppressReadReceipt", "ImapUseProtocolDefaults",
        ],
        ["Mapi"] =
        [
            .. Keys, "MAPIBlockOutlookExternalConnectivity", "MAPIBlockOutlookNonCachedMode", "MAPIBlockOutlookRpcHttp",
            "MAPIBlockOutlookVersions", "MAPIEnabled", "MapiHttpEnabled",
        ],
        ["Pop"] =
        [
            .. Keys, "PopEnableExactRFC822Size", "PopEnabled", "PopMessagesRetrievalMimeFormat", "PopSuppressReadReceipt", "PopUseProtocolDefaults",
        ],
        ["ProtocolSettings"] =
        [
            .. Keys, "ExternalImapSettings", "ExternalPopSettings", "ExternalSmtpSettings", "InternalImapSettings", "InternalPopSettings",
            "InternalSmtpSettings",
        ],
    };

    /// <summary>
    /// The projection for a request's PropertySet and $select: null for All (everything), else the property names.
    /// An unknown set, or a $select name the schema does not have, is a 400 naming it.
    /// </summary>
    public static HashSet<string>? Resolve(string? propertySet, string? select)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var all = false;
        foreach (var set in Split(propertySet is { Length: > 0 } ? propertySet : "Minimum"))
        {
            if (set.Equals("All", StringComparison.OrdinalIgnoreCase))
            {
                all = true;
            }
            else if (Sets.TryGetValue(set, out var members))
            {
                names.UnionWith(members);
            }
            else
            {
                throw new ExchangeErrorException(ExchangeErrors.BadRequest(
                    $"'{set}' is not a valid property set for CasMailbox. Valid property sets: All, {string.Join(", ", Sets.Keys)}."));
            }
        }

        foreach (var property in Split(select))
        {
            if (!EdmSchema.Instance.GetType("CasMailbox").TryGetProperty(property, out _))
            {
                throw new ExchangeErrorException(ExchangeErrors.BadRequest($"'{property}' is not a property of CasMailbox."));
            }

            names.Add(property);
        }

        return all ? null : names;
    }

    private static IEnumerable<string> Split(string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

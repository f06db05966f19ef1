using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// How each non-Mailbox object is shaped on the wire, in one place for both API styles: the Get-EXO* resources
/// (Edm-typed: sizes as Int64 bytes) and the classic cmdlets (remote-PowerShell style: sizes as
/// "1.5 GB (1,610,612,736 bytes)" text). Names and types follow the schema's types of the same name.
/// </summary>
internal static class ObjectShapes
{
    /// <summary>The Int64 the service sends for an Unlimited size (§6.4).</summary>
    public const long UnlimitedBytes = long.MinValue;

    public const string SelfUser = @"NT AUTHORITY\SELF";

    private static readonly string[] SelfRights = ["FullAccess", "ReadPermission"];

    /// <summary>A mailbox's permission entries: the owner's own (SELF) first, then the grants in the order made.</summary>
    public static IEnumerable<(string User, string[] Rights, bool Deny, string Inheritance, bool IsOwner)> MailboxPermissionEntries(SandboxTenant tenant, Mailbox mailbox) =>
        tenant.State.MailboxPermissions(mailbox.Ordinal)
            .Select(p => (p.User, p.AccessRights, p.Deny, p.InheritanceType, false))
            .Prepend((SelfUser, SelfRights, false, "All", true));

    /// <summary>Classic Get-MailboxPermission output.</summary>
    public static PropertyBag MailboxPermission(Mailbox mailbox, int ordinal, string user, string[] rights, bool deny, string inheritance) =>
        new PropertyBag(ordinal)
            .Add("Identity", mailbox.Name)
            .Add("User", user)
            .Add("AccessRights", rights)
            .Add("IsInherited", false)
            .Add("Deny", deny)
            .Add("InheritanceType", inheritance);

    /// <summary>The MailboxPermission entity of Get-EXOMailboxPermission.</summary>
    public static PropertyBag MailboxPermissionEntity(Mailbox mailbox, int ordinal, string user, string[] rights, bool deny, string inheritance, bool isOwner) =>
        new PropertyBag(ordinal)
            .Add("PermissionId", $"{mailbox.ExchangeGuid}:{user}")
            .Add("MailboxIdentity", mailbox.Name)
            .Add("User", user)
            .Add("IsOwner", isOwner)
            .AddComplex("PermissionList", [new PropertyBag(0)
                .Add("AccessRights", rights)
                .Add("IsInherited", false)
                .Add("Deny", deny)
                .Add("InheritanceType", inheritance)]);

    public static IEnumerable<(string Trustee, string AccessControlType)> RecipientPermissionEntries(SandboxTenant tenant, Mailbox mailbox) =>
        tenant.State.RecipientPermissions(mailbox.Ordinal).Select(p => (p.Trustee, p.AccessControlType))
            .Prepend((SelfUser, "Allow"));

    /// <summary>Get-RecipientPermission / Get-EXORecipientPermission output (same names in both).</summary>
    public static PropertyBag RecipientPermission(Mailbox mailbox, int ordinal, string trustee, string accessControlType) =>
        new PropertyBag(ordinal)
            .Add("Identity", mailbox.Name)
            .Add("Trustee", trustee)
            .Add("AccessControlType", accessControlType)
            .Add("AccessRights", new[] { "SendAs" })
            .Add("IsInherited", false)
            .Add("InheritanceType", "None");

    public static PropertyBag AutoReply(Mailbox mailbox, AutoReplyConfiguration c) =>
        new PropertyBag(mailbox.Ordinal)
            .Add("Identity", mailbox.Name)
            .Add("MailboxOwnerId", mailbox.Name)
            .Add("AutoReplyState", c.AutoReplyState)
            .Add("StartTime", MailboxProperties.LocalTime(c.StartTimeUtc))
            .Add("EndTime", MailboxProperties.LocalTime(c.EndTimeUtc))
            .Add("InternalMessage", c.InternalMessage)
            .Add("ExternalMessage", c.ExternalMessage)
            .Add("ExternalAudience", c.ExternalAudience)
            .Add("IsValid", true);

    public static PropertyBag DistributionGroup(Tenant tenant, DistributionGroup g) =>
        new PropertyBag(g.Ordinal)
            .Add("Identity", g.Name)
            .Add("Name", g.Name)
            .Add("Alias", g.Alias)
            .Add("DisplayName", g.DisplayName)
            .Add("PrimarySmtpAddress", g.PrimarySmtpAddress)
            .Add("EmailAddresses", new[] { "SMTP:" + g.PrimarySmtpAddress, $"smtp:{g.Alias}@{tenant.Domain}" })
            .Add("GroupType", "Universal")
            .Add("RecipientType", "MailUniversalDistributionGroup")
            .Add("RecipientTypeDetails", "MailUniversalDistributionGroup")
            .Add("ManagedBy", new[] { g.ManagedBy })
            .Add("MemberJoinRestriction", "Closed")
            .Add("MemberDepartRestriction", "Closed")
            .Add("Guid", g.Guid)
            .Add("ExternalDirectoryObjectId", g.Guid)
            .Add("DistinguishedName", "CN=" + g.Name + tenant.DistinguishedNameSuffix);

    /// <summary>A member as Get-DistributionGroupMember returns it (a ReducedRecipient).</summary>
    public static PropertyBag Recipient(Mailbox m, int ordinal) =>
        new PropertyBag(ordinal)
            .Add("Identity", m.Name)
            .Add("Name", m.Name)
            .Add("Alias", m.Alias)
            .Add("DisplayName", m.DisplayName)
            .Add("PrimarySmtpAddress", m.PrimarySmtpAddress)
            .Add("EmailAddresses", m.EmailAddresses)
            .Add("RecipientType", "UserMailbox")
            .Add("RecipientTypeDetails", m.RecipientTypeDetails)
            .Add("ExternalDirectoryObjectId", m.ExternalDirectoryObjectId.ToString())
            .Add("Guid", m.Guid.ToString())
            .Add("HiddenFromAddressListsEnabled", m.HiddenFromAddressListsEnabled)
            .Add("Office", m.Office)
            .Add("DistinguishedName", m.DistinguishedName);

    /// <summary>
    /// Client access settings with Exchange Online's defaults for what the tenant cannot change here: every
    /// member of the Get-EXOCasMailbox property sets (Minimum, ActiveSync, Ews, Imap, Mapi, Pop, ProtocolSettings).
    /// </summary>
    public static PropertyBag Cas(Mailbox m, CasSettings c) =>
        new PropertyBag(m.Ordinal)
            .Add("Identity", m.Name)
            .Add("Name", m.Name)
            .Add("DisplayName", m.DisplayName)
            .Add("PrimarySmtpAddress", m.PrimarySmtpAddress)
            .Add("EmailAddresses", m.EmailAddresses)
            .Add("ExternalDirectoryObjectId", m.ExternalDirectoryObjectId.ToString())
            .Add("Guid", m.Guid.ToString())
            .Add("ExchangeVersion", MailboxProperties.Get("ExchangeVersion")(m))
            .Add("OrganizationId", m.Tenant.OrganizationId)
            .Add("ServerLegacyDN", MailboxProperties.Get("ServerLegacyDN")(m))
            .Add("OWAEnabled", c.OwaEnabled)
            .Add("ActiveSyncEnabled", c.ActiveSyncEnabled)
            .Add("PopEnabled", c.PopEnabled)
            .Add("ImapEnabled", c.ImapEnabled)
            .Add("MAPIEnabled", c.MapiEnabled)
            .Add("EwsEnabled", c.EwsEnabled)
            .Add("ECPEnabled", true)
            .Add("OWAforDevicesEnabled", true)
            .Add("ActiveSyncAllowedDeviceIDs", Array.Empty<string>())
            .Add("ActiveSyncBlockedDeviceIDs", Array.Empty<string>())
            .Add("ActiveSyncMailboxPolicy", "Default")
            .Add("ActiveSyncMailboxPolicyIsDefaulted", true)
            .Add("ActiveSyncSuppressReadReceipt", false)
            .Add("HasActiveSyncDevicePartnership", MailboxActivity.MobileDevices(m).Count > 0)
            .Add("EwsAllowMacOutlook", (bool?)null)
            .Add("EwsAllowOutlook", (bool?)null)
            .Add("ImapEnableExactRFC822Size", false)
            .Add("ImapForceICalForCalendarRetrievalOption", false)
            .Add("ImapMessagesRetrievalMimeFormat", "BestBodyFormat")
            .Add("ImapSuppressReadReceipt", false)
            .Add("ImapUseProtocolDefaults", true)
            .Add("MAPIBlockOutlookExternalConnectivity", false)
            .Add("MAPIBlockOutlookNonCachedMode", false)
            .Add("MAPIBlockOutlookRpcHttp", false)
            .Add("MAPIBlockOutlookVersions", (string?)null)
            .Add("MapiHttpEnabled", (bool?)null)
            .Add("PopEnableExactRFC822Size", false)
            .Add("PopMessagesRetrievalMimeFormat", "BestBodyFormat")
            .Add("PopSuppressReadReceipt", false)
            .Add("PopUseProtocolDefaults", true)
            .Add("ExternalImapSettings", "outlook.office365.com:993:SSL")
            .Add("InternalImapSettings", "outlook.office365.com:993:SSL")
            .Add("ExternalPopSettings", "outlook.office365.com:995:SSL")
            .Add("InternalPopSettings", "outlook.office365.com:995:SSL")
            .Add("ExternalSmtpSettings", "smtp.office365.com:587:TLS")
            .Add("InternalSmtpSettings", "smtp.office365.com:587:TLS")
            .Add("OwaMailboxPolicy", "OwaMailboxPolicy-Default");

    /// <param name="edmTyped">Sizes as Int64 (Get-EXO*) rather than ByteQuantifiedSize text.</param>
    public static PropertyBag Statistics(Mailbox m, bool archive)
    {
        var total = archive ? MailboxActivity.ArchiveSize(m) : MailboxActivity.TotalItemSize(m);
        var lastLogon = MailboxActivity.LastLogonUtc(m);
        return new PropertyBag(m.Ordinal)
            .Add("DisplayName", archive ? "In-Place Archive - " + m.DisplayName : m.DisplayName)
            .Add("MailboxGuid", archive ? m.Archive!.ArchiveGuid : m.ExchangeGuid)
            .Add("ItemCount", Math.Max(1, total / 48_000))
            .Add("DeletedItemCount", total / 48_000 / 20)
            .Add("TotalItemSize", total)
            .Add("TotalDeletedItemSize", archive ? total / 50 : MailboxActivity.DeletedItemSize(m))
            .Add("LastLogonTime", lastLogon is { } logon ? MailboxProperties.LocalTime(logon) : null)
            .Add("LastUserActionTime", lastLogon is { } action ? MailboxProperties.LocalTime(action) : null)
            .Add("MailboxType", "Mailbox")
            .Add("MailboxTypeDetail", m.RecipientTypeDetails)
            .Add("IsArchiveMailbox", archive)
            .Add("DatabaseName", archive ? m.Archive!.Database.Name : m.Database.Name)
            .Add("ServerName", (archive ? m.Archive!.Database.Server : m.Database.Server).ToLowerInvariant())
            .Add("StorageLimitStatus", PropertyValue.Null)
            .Add("SystemMessageSize", total / 200)
            .Add("DatabaseIssueWarningQuota", UnlimitedBytes)
            .Add("DatabaseProhibitSendQuota", UnlimitedBytes)
            .Add("DatabaseProhibitSendReceiveQuota", UnlimitedBytes)
            .Add("NeedsToMove", "No");
    }

    public static PropertyBag FolderStatistics(Mailbox m, FolderStatistics f, int ordinal) =>
        new PropertyBag(ordinal)
            .Add("Identity", m.Name + f.FolderPath.Replace('/', '\\'))
            .Add("Name", f.Name)
            .Add("FolderPath", f.FolderPath)
            .Add("FolderType", f.FolderType)
            .Add("ContainerClass", f.ContainerClass)
            .Add("ItemsInFolder", f.Items)
            .Add("ItemsInFolderAndSubfolders", f.Items)
            .Add("FolderSize", f.Size)
            .Add("FolderAndSubfolderSize", f.Size)
            .Add("ContentMailboxGuid", m.ExchangeGuid);

    public static PropertyBag MobileDevice(Mailbox m, MobileDevice d, int ordinal) =>
        new PropertyBag(ordinal)
            .Add("Identity", $"{m.Name}\\ExchangeActiveSyncDevices\\{d.ClientType}§{d.Model}§{d.DeviceId}")
            .Add("Guid", d.Guid)
            .Add("DeviceID", d.DeviceId)
            .Add("DeviceFriendlyName", d.FriendlyName)
            .Add("DeviceModel", d.Model)
            .Add("DeviceOS", d.Os)
            .Add("DeviceType", d.Model.StartsWith("iP", StringComparison.Ordinal) ? d.Model[..(d.Model.IndexOf('1') < 0 ? d.Model.Length : d.Model.IndexOf('1'))] : "Android")
            .Add("ClientType", d.ClientType)
            .Add("DeviceAccessState", "Allowed")
            .Add("Status", "DeviceOk")
            .Add("FirstSyncTime", MailboxProperties.LocalTime(d.FirstSyncUtc))
            .Add("LastSuccessSync", MailboxProperties.LocalTime(d.LastSyncUtc))
            .Add("LastSyncAttemptTime", MailboxProperties.LocalTime(d.LastSyncUtc))
            .Add("IsRemoteWipeSupported", true);

    public static PropertyBag InboxRule(Mailbox m, InboxRule r) =>
        new PropertyBag(r.Priority)
            .Add("Identity", $"{m.Name}\\{r.Priority}")
            .Add("MailboxOwnerId", m.Name)
            .Add("Name", r.Name)
            .Add("Enabled", r.Enabled)
            .Add("Priority", r.Priority)
            .Add("RuleIdentity", r.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("Description", r.Description)
            .Add("MoveToFolder", r.MoveToFolder is null ? null : $"{m.Name}:\\{r.MoveToFolder}")
            .Add("From", r.From is null ? Array.Empty<string>() : [r.From])
            .Add("SubjectContainsWords", r.SubjectContainsWords is null ? Array.Empty<string>() : [r.SubjectContainsWords])
            .Add("StopProcessingRules", false);
}

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

    // The tenant's default client access policies, as Get-EXOCasMailbox and Get-EXORecipient show them.
    private const string ActiveSyncMailboxPolicy = "Default";
    private const string OwaMailboxPolicy = "OwaMailboxPolicy-Default";

    /// <summary>
    /// A mailbox's permission entries: the owner's own (SELF) first, then the grants in the order made; with
    /// <paramref name="user"/> only that user's.
    /// </summary>
    public static IEnumerable<(string User, string[] Rights, bool Deny, string Inheritance, bool IsOwner)> MailboxPermissionEntries(
        SandboxTenant tenant, Mailbox mailbox, string? user = null) =>
        tenant.State.MailboxPermissions(mailbox.Ordinal)
            .Select(p => (User: p.User, Rights: p.AccessRights, Deny: p.Deny, Inheritance: p.InheritanceType, IsOwner: false))
            .Prepend((User: SelfUser, Rights: SelfRights, Deny: false, Inheritance: "All", IsOwner: true))
            .Where(e => user is null || string.Equals(e.User, user, StringComparison.OrdinalIgnoreCase));

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

    /// <summary>
    /// A recipient's SendAs entries as Get-RecipientPermission and Get-EXORecipientPermission show them (same
    /// names in both): SELF first, then the grants in the order made; with <paramref name="trustee"/> only that trustee's.
    /// </summary>
    public static PropertyBag[] RecipientPermissions(SandboxTenant tenant, Mailbox mailbox, string? trustee = null) =>
        tenant.State.RecipientPermissions(mailbox.Ordinal).Select(p => (Trustee: p.Trustee, AccessControlType: p.AccessControlType))
            .Prepend((Trustee: SelfUser, AccessControlType: "Allow"))
            .Where(e => trustee is null || string.Equals(e.Trustee, trustee, StringComparison.OrdinalIgnoreCase))
            .Select((e, i) => RecipientPermission(mailbox, i, e.Trustee, e.AccessControlType))
            .ToArray();

    /// <summary>One SendAs entry; Add-RecipientPermission returns the one it adds.</summary>
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
            .Add("IsValid", true)
            .Overlay(c.Stored);

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
            .Add("DistinguishedName", "CN=" + g.Name + tenant.DistinguishedNameSuffix)
            .Overlay(g.Stored);

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
            .Add("OWAEnabled", true)
            .Add("ActiveSyncEnabled", true)
            .Add("PopEnabled", true)
            .Add("ImapEnabled", true)
            .Add("MAPIEnabled", true)
            .Add("EwsEnabled", true)
            .Add("ECPEnabled", true)
            .Add("OWAforDevicesEnabled", true)
            .Add("ActiveSyncAllowedDeviceIDs", Array.Empty<string>())
            .Add("ActiveSyncBlockedDeviceIDs", Array.Empty<string>())
            .Add("ActiveSyncMailboxPolicy", ActiveSyncMailboxPolicy)
            .Add("ActiveSyncMailboxPolicyIsDefaulted", true)
            .Add("ActiveSyncSuppressReadReceipt", false)
            .Add("HasActiveSyncDevicePartnership", HasActiveSyncDevicePartnership(m))
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
            .Add("OwaMailboxPolicy", OwaMailboxPolicy)
            .Overlay(c.Stored);

    /// <summary>
    /// Get-EXORecipient's entity for a mailbox: every property of the schema's Recipient type, each read as the
    /// Mailbox entity reads the same name, plus the recipient-only ones; the property sets pick from it.
    /// </summary>
    public static PropertyBag RecipientEntity(Mailbox m, int ordinal)
    {
        var bag = new PropertyBag(ordinal);
        foreach (var property in PropertySets.For("Recipient").AllProperties)
        {
            bag.Add(property.Name, property.Name switch
            {
                "ActiveSyncMailboxPolicy" => ActiveSyncMailboxPolicy,
                "ActiveSyncMailboxPolicyIsDefaulted" => true,
                "OwaMailboxPolicy" => OwaMailboxPolicy,
                "HasActiveSyncDevicePartnership" => HasActiveSyncDevicePartnership(m),
                "ShouldUseDefaultRetentionPolicy" => false,
                "DatabaseName" => m.Database.Name,
                "ServerName" => m.Database.Server.ToLowerInvariant(),
                "Capabilities" => MailboxProperties.Get("PersistedCapabilities")(m),
                "IsValidSecurityPrincipal" => true,
                var name => MailboxProperties.Get(name)(m),
            });
        }

        return bag;
    }

    /// <summary>
    /// Get-EXORecipient's entity for a distribution group: its Get-DistributionGroup properties and what a group
    /// shows for the recipient ones (no archive, no move, no mailbox policies), the rest null.
    /// </summary>
    public static PropertyBag GroupRecipientEntity(Tenant tenant, DistributionGroup g, int ordinal)
    {
        var bag = DistributionGroup(tenant, g).WithOrdinal(ordinal)
            .Add("Id", g.Name)
            .Add("ExchangeVersion", "0.10 (14.0.100.0)")
            .Add("OrganizationId", tenant.OrganizationId)
            .Add("HiddenFromAddressListsEnabled", false)
            .Add("EmailAddressPolicyEnabled", true)
            .Add("ArchiveGuid", Guid.Empty)
            .Add("ArchiveState", "None")
            .Add("ArchiveStatus", "None")
            .Add("MailboxMoveFlags", "None")
            .Add("MailboxMoveStatus", "None")
            .Add("ActiveSyncMailboxPolicyIsDefaulted", false)
            .Add("ShouldUseDefaultRetentionPolicy", false)
            .Add("PoliciesIncluded", Array.Empty<string>())
            .Add("PoliciesExcluded", Array.Empty<string>());
        for (var i = 1; i <= 15; i++)
        {
            bag.Add("CustomAttribute" + i, string.Empty);
        }

        for (var i = 1; i <= 5; i++)
        {
            bag.Add("ExtensionCustomAttribute" + i, Array.Empty<string>());
        }

        return bag.Project(PropertySets.For("Recipient").AllProperties);
    }

    private static bool HasActiveSyncDevicePartnership(Mailbox m) => MailboxActivity.MobileDevices(m).Count > 0;

    /// <summary>
    /// MailboxStatistics with every property of the schema's type (sizes as Int64 bytes); the property sets pick
    /// from it. Table sizes split the mailbox's size; the per-folder and named-property limits are Exchange Online's.
    /// </summary>
    public static PropertyBag Statistics(Mailbox m, bool archive)
    {
        var total = archive ? MailboxActivity.ArchiveSize(m) : MailboxActivity.TotalItemSize(m);
        var lastLogon = MailboxActivity.LastLogonUtc(m);
        var items = Math.Max(1, total / 48_000);
        return new PropertyBag(m.Ordinal)
            .Add("DisplayName", archive ? "In-Place Archive - " + m.DisplayName : m.DisplayName)
            .Add("ExternalDirectoryOrganizationId", m.Tenant.TenantId)
            .Add("LastLoggedOnUserAccount", PropertyValue.Null)
            .Add("LastLogoffTime", lastLogon is { } logoff ? MailboxProperties.LocalTime(logoff.AddHours(2)) : null)
            .Add("LastLogonTime", lastLogon is { } logon ? MailboxProperties.LocalTime(logon) : null)
            .Add("StorageLimitStatus", PropertyValue.Null)
            .Add("SystemMessageSize", total / 200)
            .Add("SystemMessageSizeWarningQuota", 3_758_096_384L)
            .Add("SystemMessageSizeShutoffQuota", 4_294_967_296L)
            .Add("SystemMessageCount", items / 10)
            .Add("DisconnectDate", PropertyValue.Null)
            .Add("DisconnectReason", PropertyValue.Null)
            .Add("LegacyDN", MailboxProperties.Get("LegacyExchangeDN")(m))
            .Add("OwnerADGuid", m.Guid)
            .Add("MailboxType", "Mailbox")
            .Add("MailboxTypeDetail", m.RecipientTypeDetails)
            .Add("ServerName", (archive ? m.Archive!.Database.Server : m.Database.Server).ToLowerInvariant())
            .Add("DatabaseName", archive ? m.Archive!.Database.Name : m.Database.Name)
            .Add("IsDatabaseCopyActive", true)
            .Add("IsAbandonedMoveDestination", false)
            .Add("MailboxGuid", archive ? m.Archive!.ArchiveGuid : m.ExchangeGuid)
            .Add("IsArchiveMailbox", archive)
            .Add("IsMoveDestination", false)
            .Add("ResourceUsageRollingAvgRop", 0)
            .Add("ResourceUsageRollingAvgDatabaseReads", 0)
            .Add("ResourceUsageRollingClientTypes", 0L)
            .Add("IsHighDensityShard", false)
            .Add("NeedsToMove", "No")
            .Add("AssociatedItemCount", 20 + items / 40)
            .Add("DeletedItemCount", items / 20)
            .Add("ItemCount", items)
            .Add("TotalDeletedItemSize", archive ? total / 50 : MailboxActivity.DeletedItemSize(m))
            .Add("TotalItemSize", total)
            .Add("MessageTableTotalSize", total / 5 * 3)
            .Add("MessageTableAvailableSize", total / 50)
            .Add("AttachmentTableTotalSize", total / 10 * 3)
            .Add("AttachmentTableAvailableSize", total / 100)
            .Add("OtherTablesTotalSize", total / 10)
            .Add("OtherTablesAvailableSize", total / 200)
            .Add("TablesTotalSize", (total / 5 * 3) + (total / 10 * 3) + (total / 10))
            .Add("TablesTotalAvailableSize", (total / 50) + (total / 100) + (total / 200))
            .Add("MailboxMessagesPerFolderCountWarningQuota", 900_000L)
            .Add("MailboxMessagesPerFolderCountReceiveQuota", 1_000_000L)
            .Add("DumpsterMessagesPerFolderCountWarningQuota", 2_750_000L)
            .Add("DumpsterMessagesPerFolderCountReceiveQuota", 3_000_000L)
            .Add("FolderHierarchyChildrenCountWarningQuota", 9_000L)
            .Add("FolderHierarchyChildrenCountReceiveQuota", 10_000L)
            .Add("FolderHierarchyDepthWarningQuota", 250L)
            .Add("FolderHierarchyDepthReceiveQuota", 300L)
            .Add("FoldersCountWarningQuota", 900_000L)
            .Add("FoldersCountReceiveQuota", 1_000_000L)
            .Add("NamedPropertiesCountQuota", 16_384L)
            .Add("DatabaseIssueWarningQuota", UnlimitedBytes)
            .Add("DatabaseProhibitSendQuota", UnlimitedBytes)
            .Add("DatabaseProhibitSendReceiveQuota", UnlimitedBytes)
            .Add("IsQuarantined", false)
            .Add("QuarantineClients", PropertyValue.Null)
            .Add("LastInteractionTime", lastLogon is { } interaction ? MailboxProperties.LocalTime(interaction) : null)
            .Add("LastUserActionTime", lastLogon is { } action ? MailboxProperties.LocalTime(action) : null);
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
            .Add("StopProcessingRules", false)
            .Overlay(r.Stored);
}

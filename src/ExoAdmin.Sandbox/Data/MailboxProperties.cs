using System.Globalization;

namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// How each property of the Exchange Mailbox entity is read from a seeded <see cref="Mailbox"/>. Properties not
/// listed are null. Constant values are what a fresh Exchange Online tenant shows; the schema's Edm types are
/// checked against these values by the tests, and the names against the schema at start-up.
/// </summary>
internal static class MailboxProperties
{
    private static readonly Func<Mailbox, PropertyValue> NullAccessor = _ => PropertyValue.Null;

    private static readonly string[] Empty = [];

    // Quotas are strings in ByteQuantifiedSize notation, like the service sends them.
    private static readonly string UserProhibitSendQuota = ByteQuantity.Format(ByteQuantity.Gigabytes(99));
    private static readonly string UserProhibitSendReceiveQuota = ByteQuantity.Format(ByteQuantity.Gigabytes(100));
    private static readonly string UserIssueWarningQuota = ByteQuantity.Format(ByteQuantity.Gigabytes(98));
    private static readonly string SharedProhibitSendQuota = ByteQuantity.Format(ByteQuantity.Gigabytes(49.5));
    private static readonly string SharedProhibitSendReceiveQuota = ByteQuantity.Format(ByteQuantity.Gigabytes(50));
    private static readonly string SharedIssueWarningQuota = ByteQuantity.Format(ByteQuantity.Gigabytes(49));
    private static readonly string RecoverableItemsQuota = ByteQuantity.Format(ByteQuantity.Gigabytes(30));
    private static readonly string RecoverableItemsWarningQuota = ByteQuantity.Format(ByteQuantity.Gigabytes(20));
    private static readonly string HoldRecoverableItemsQuota = ByteQuantity.Format(ByteQuantity.Gigabytes(100));
    private static readonly string HoldRecoverableItemsWarningQuota = ByteQuantity.Format(ByteQuantity.Gigabytes(90));
    private static readonly string CalendarLoggingQuota = ByteQuantity.Format(ByteQuantity.Gigabytes(6));
    private static readonly string ArchiveQuota = ByteQuantity.Format(ByteQuantity.Gigabytes(100));
    private static readonly string AutoExpandingArchiveQuota = ByteQuantity.Format(ByteQuantity.Gigabytes(1536));
    private static readonly string ArchiveWarningQuota = ByteQuantity.Format(ByteQuantity.Gigabytes(90));
    private static readonly string RulesQuota = ByteQuantity.Format(256 * 1024);
    private static readonly string MaxSendSize = ByteQuantity.Format(ByteQuantity.Megabytes(35));
    private static readonly string MaxReceiveSize = ByteQuantity.Format(ByteQuantity.Megabytes(36));

    private static readonly string[] AuditAdmin =
        ["Update", "MoveToDeletedItems", "SoftDelete", "HardDelete", "FolderBind", "SendAs", "SendOnBehalf", "Create", "UpdateFolderPermissions", "UpdateInboxRules", "UpdateCalendarDelegation", "ApplyRecord", "MailItemsAccessed", "Send"];
    private static readonly string[] AuditDelegate =
        ["Update", "MoveToDeletedItems", "SoftDelete", "HardDelete", "SendAs", "SendOnBehalf", "Create", "UpdateFolderPermissions", "UpdateInboxRules", "ApplyRecord", "MailItemsAccessed"];
    private static readonly string[] AuditOwner =
        ["Update", "MoveToDeletedItems", "SoftDelete", "HardDelete", "UpdateFolderPermissions", "UpdateInboxRules", "UpdateCalendarDelegation", "ApplyRecord", "MailItemsAccessed", "Send"];
    private static readonly string[] DefaultAuditSet = ["Admin", "Delegate", "Owner"];
    private static readonly string[] UserAddressLists =
        [@"\Mailboxes(VLV)", @"\All Mailboxes(VLV)", @"\All Recipients(VLV)", @"\Default Global Address List", @"\All Users"];
    private static readonly string[] RoomAddressLists =
        [@"\Mailboxes(VLV)", @"\All Mailboxes(VLV)", @"\All Recipients(VLV)", @"\Default Global Address List", @"\All Rooms"];
    private static readonly string[] PoliciesExcluded = ["{26491cfc-9e50-4857-861b-0cb8df22b5d7}"];
    private static readonly string[] ObjectClass = ["top", "person", "organizationalPerson", "user"];
    private static readonly string[] PersistedCapabilities = ["BPOS_S_Enterprise"];
    private static readonly Guid[] NoGuids = [];

    private static readonly Dictionary<string, Func<Mailbox, PropertyValue>> Accessors = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ExternalDirectoryObjectId"] = m => m.ExternalDirectoryObjectId,
        ["Database"] = m => m.Database.Name,
        ["DatabaseGuid"] = m => m.Database.Guid,
        ["IsMonitoringMailbox"] = _ => false,
        ["MessageRecallProcessingEnabled"] = _ => true,
        ["MessageCopyForSMTPClientSubmissionEnabled"] = _ => true,
        ["MessageCopyForSentAsEnabled"] = m => IsShared(m),
        ["MessageCopyForSendOnBehalfEnabled"] = m => IsShared(m),
        ["MailboxProvisioningPreferences"] = _ => Empty,
        ["UseDatabaseRetentionDefaults"] = _ => false,
        ["RetainDeletedItemsUntilBackup"] = _ => false,
        ["DeliverToMailboxAndForward"] = m => m.DeliverToMailboxAndForward,
        ["ForwardingSmtpAddress"] = m => m.ForwardingSmtpAddress,
        ["ForwardingAddress"] = m => m.ForwardingAddress,
        ["IsExcludedFromServingHierarchy"] = _ => false,
        ["IsHierarchyReady"] = _ => true,
        ["IsHierarchySyncEnabled"] = _ => true,
        ["IsPublicFolderSystemMailbox"] = _ => false,
        ["HasSnackyAppData"] = _ => false,
        ["LitigationHoldEnabled"] = m => m.LitigationHoldDateUtc.HasValue,
        ["SingleItemRecoveryEnabled"] = _ => true,
        ["RetentionHoldEnabled"] = _ => false,
        ["LitigationHoldDate"] = m => m.LitigationHoldDateUtc is { } date ? LocalTime(date) : null,
        ["LitigationHoldOwner"] = m => m.LitigationHoldDateUtc.HasValue ? "admin@" + m.Tenant.VanityDomain : null,
        ["ElcProcessingDisabled"] = _ => false,
        ["ComplianceTagHoldApplied"] = _ => false,
        ["WasInactiveMailbox"] = _ => false,
        ["DelayHoldApplied"] = _ => false,
        ["LitigationHoldDuration"] = _ => "Unlimited",
        ["PitrEnabled"] = _ => false,
        ["RetentionPolicy"] = _ => "Default MRM Policy",
        ["CalendarRepairDisabled"] = _ => false,
        ["ExchangeGuid"] = m => m.ExchangeGuid,
        ["MailboxLocations"] = m => MailboxLocations(m),
        ["AggregatedMailboxGuids"] = _ => NoGuids,
        ["ExchangeUserAccountControl"] = _ => "None",
        ["MessageTrackingReadStatusEnabled"] = _ => true,
        ["ExternalOofOptions"] = _ => "External",
        ["RetainDeletedItemsFor"] = _ => "14.00:00:00",
        ["IsMailboxEnabled"] = _ => true,
        ["Languages"] = m => m.Language is { } language ? [language] : Empty,
        ["ProhibitSendQuota"] = m => IsLicensed(m) ? UserProhibitSendQuota : SharedProhibitSendQuota,
        ["ProhibitSendReceiveQuota"] = m => IsLicensed(m) ? UserProhibitSendReceiveQuota : SharedProhibitSendReceiveQuota,
        ["IssueWarningQuota"] = m => IsLicensed(m) ? UserIssueWarningQuota : SharedIssueWarningQuota,
        ["RecoverableItemsQuota"] = m => m.LitigationHoldDateUtc.HasValue ? HoldRecoverableItemsQuota : RecoverableItemsQuota,
        ["RecoverableItemsWarningQuota"] = m => m.LitigationHoldDateUtc.HasValue ? HoldRecoverableItemsWarningQuota : RecoverableItemsWarningQuota,
        ["CalendarLoggingQuota"] = _ => CalendarLoggingQuota,
        ["DowngradeHighPriorityMessagesEnabled"] = _ => "False",
        ["ProtocolSettings"] = _ => Empty,
        ["RecipientLimits"] = _ => "500",
        ["ImListMigrationCompleted"] = _ => false,
        ["IsResource"] = m => RecipientTypes.IsResource(m.RecipientTypeDetails),
        ["IsLinked"] = _ => false,
        ["IsShared"] = m => IsShared(m),
        ["IsRootPublicFolderMailbox"] = _ => false,
        ["ResetPasswordOnNextLogon"] = _ => "False",
        ["ResourceCapacity"] = m => m.ResourceCapacity,
        ["ResourceCustom"] = _ => Empty,
        ["ResourceType"] = m => m.RecipientTypeDetails switch
        {
            RecipientTypes.RoomMailbox => "Room",
            RecipientTypes.EquipmentMailbox => "Equipment",
            _ => null,
        },
        ["RoomMailboxAccountEnabled"] = m => m.RecipientTypeDetails == RecipientTypes.RoomMailbox ? false : PropertyValue.Null,
        ["SamAccountName"] = m => SamAccountName(m.Guid),
        ["AntispamBypassEnabled"] = _ => false,
        ["ServerLegacyDN"] = m => "/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=" + m.Database.Server,
        ["UseDatabaseQuotaDefaults"] = _ => false,
        ["RulesQuota"] = _ => RulesQuota,
        ["Office"] = m => m.Office,
        ["UserPrincipalName"] = m => m.UserPrincipalName,
        ["UMEnabled"] = _ => false,
        ["NetID"] = m => IsLicensed(m) ? "1003" + m.ExternalDirectoryObjectId.ToString("N")[..12].ToUpperInvariant() : null,
        ["WindowsLiveID"] = m => m.UserPrincipalName,
        ["MicrosoftOnlineServicesID"] = m => m.UserPrincipalName,
        ["RoleAssignmentPolicy"] = _ => "Default Role Assignment Policy",
        ["SharingPolicy"] = _ => "Default Sharing Policy",
        ["MailboxPlan"] = m => m.Tenant.MailboxPlanOf(m),
        ["ArchiveDatabase"] = m => m.Archive?.Database.Name,
        ["ArchiveDatabaseGuid"] = m => m.Archive?.Database.Guid ?? Guid.Empty,
        ["ArchiveGuid"] = m => m.Archive?.ArchiveGuid ?? Guid.Empty,
        ["ArchiveName"] = m => m.Archive is null ? Empty : ["In-Place Archive - " + m.DisplayName],
        ["ArchiveQuota"] = m => m.Archive?.AutoExpanding == true ? AutoExpandingArchiveQuota : ArchiveQuota,
        ["ArchiveWarningQuota"] = _ => ArchiveWarningQuota,
        ["ArchiveStatus"] = m => m.Archive is null ? "None" : "Active",
        ["ArchiveState"] = m => m.Archive is null ? "None" : "Local",
        ["AutoExpandingArchiveEnabled"] = m => m.Archive?.AutoExpanding ?? false,
        ["DisabledMailboxLocations"] = _ => false,
        ["RemoteRecipientType"] = _ => "None",
        ["DisabledArchiveGuid"] = _ => Guid.Empty,
        ["QueryBaseDNRestrictionEnabled"] = _ => false,
        ["MailboxMoveFlags"] = _ => "None",
        ["MailboxMoveStatus"] = _ => "None",
        ["MailboxRelease"] = _ => "E15",
        ["ArchiveRelease"] = m => m.Archive is null ? null : "E15",
        ["IsPersonToPersonTextMessagingEnabled"] = _ => "False",
        ["IsMachineToPersonTextMessagingEnabled"] = _ => "True",
        ["UserSMimeCertificate"] = _ => Empty,
        ["UserCertificate"] = _ => Empty,
        ["CalendarVersionStoreDisabled"] = _ => false,
        ["PersistedCapabilities"] = m => IsLicensed(m) ? PersistedCapabilities : Empty,
        ["SKUAssigned"] = m => IsLicensed(m),
        ["AuditEnabled"] = _ => true,
        ["AuditLogAgeLimit"] = _ => "90.00:00:00",
        ["AuditAdmin"] = _ => AuditAdmin,
        ["AuditDelegate"] = _ => AuditDelegate,
        ["AuditOwner"] = _ => AuditOwner,
        ["DefaultAuditSet"] = _ => DefaultAuditSet,
        ["WhenMailboxCreated"] = m => LocalTime(m.WhenCreatedUtc),
        ["UsageLocation"] = m => m.UsageLocation,
        ["IsSoftDeletedByRemove"] = m => m.SoftDeletedUtc.HasValue,
        ["WhenSoftDeleted"] = m => m.SoftDeletedUtc is { } deleted ? LocalTime(deleted) : null,
        ["IsSoftDeletedByDisable"] = _ => false,
        ["IsInactiveMailbox"] = _ => false,
        ["IncludeInGarbageCollection"] = _ => false,
        ["InPlaceHolds"] = _ => Empty,
        ["GeneratedOfflineAddressBooks"] = _ => Empty,
        ["AccountDisabled"] = m => !IsLicensed(m),
        ["StsRefreshTokensValidFrom"] = m => LocalTime(m.WhenCreatedUtc),
        ["NonCompliantDevices"] = _ => Empty,
        ["HasPicture"] = _ => false,
        ["HasSpokenName"] = _ => false,
        ["IsDirSynced"] = _ => false,
        ["AcceptMessagesOnlyFrom"] = _ => Empty,
        ["AcceptMessagesOnlyFromDLMembers"] = _ => Empty,
        ["AcceptMessagesOnlyFromSendersOrMembers"] = _ => Empty,
        ["AddressListMembership"] = m => m.HiddenFromAddressListsEnabled ? Empty
            : m.RecipientTypeDetails == RecipientTypes.RoomMailbox ? RoomAddressLists : UserAddressLists,
        ["AdministrativeUnits"] = _ => Empty,
        ["Alias"] = m => m.Alias,
        ["BypassModerationFromSendersOrMembers"] = _ => Empty,
        ["OrganizationalUnit"] = m => m.Tenant.OrganizationalUnit,
        // Unset custom attributes read as empty text, as Exchange Online shows them.
        ["CustomAttribute1"] = _ => string.Empty, ["CustomAttribute2"] = _ => string.Empty, ["CustomAttribute3"] = _ => string.Empty,
        ["CustomAttribute4"] = _ => string.Empty, ["CustomAttribute5"] = _ => string.Empty, ["CustomAttribute6"] = _ => string.Empty,
        ["CustomAttribute7"] = _ => string.Empty, ["CustomAttribute8"] = _ => string.Empty, ["CustomAttribute9"] = _ => string.Empty,
        ["CustomAttribute10"] = _ => string.Empty, ["CustomAttribute11"] = _ => string.Empty, ["CustomAttribute12"] = _ => string.Empty,
        ["CustomAttribute13"] = _ => string.Empty, ["CustomAttribute14"] = _ => string.Empty, ["CustomAttribute15"] = _ => string.Empty,
        ["ExtensionCustomAttribute1"] = _ => Empty,
        ["ExtensionCustomAttribute2"] = _ => Empty,
        ["ExtensionCustomAttribute3"] = _ => Empty,
        ["ExtensionCustomAttribute4"] = _ => Empty,
        ["ExtensionCustomAttribute5"] = _ => Empty,
        ["DisplayName"] = m => m.DisplayName,
        ["EmailAddresses"] = m => m.EmailAddresses,
        ["GrantSendOnBehalfTo"] = m => m.GrantSendOnBehalfTo,
        ["HiddenFromAddressListsEnabled"] = m => m.HiddenFromAddressListsEnabled,
        ["LegacyExchangeDN"] = m => "/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=" + m.Guid.ToString("N") + "-" + m.Alias,
        ["MaxSendSize"] = _ => MaxSendSize,
        ["MaxReceiveSize"] = _ => MaxReceiveSize,
        ["ModeratedBy"] = _ => Empty,
        ["ModerationEnabled"] = _ => false,
        ["PoliciesIncluded"] = _ => Empty,
        ["PoliciesExcluded"] = _ => PoliciesExcluded,
        ["EmailAddressPolicyEnabled"] = _ => false,
        ["PrimarySmtpAddress"] = m => m.PrimarySmtpAddress,
        ["RecipientType"] = _ => "UserMailbox",
        ["RecipientTypeDetails"] = m => m.RecipientTypeDetails,
        ["RejectMessagesFrom"] = _ => Empty,
        ["RejectMessagesFromDLMembers"] = _ => Empty,
        ["RejectMessagesFromSendersOrMembers"] = _ => Empty,
        ["RequireSenderAuthenticationEnabled"] = _ => false,
        ["SendModerationNotifications"] = _ => "Always",
        ["UMDtmfMap"] = _ => Empty,
        ["WindowsEmailAddress"] = m => m.PrimarySmtpAddress,
        ["MailTipTranslations"] = _ => Empty,
        ["Identity"] = m => m.Name,
        ["Id"] = m => m.Name,
        ["ExchangeVersion"] = _ => "0.20 (15.0.0.0)",
        ["Name"] = m => m.Name,
        ["DistinguishedName"] = m => m.DistinguishedName,
        ["ObjectCategory"] = m => m.Tenant.ObjectCategory,
        ["ObjectClass"] = _ => ObjectClass,
        ["WhenChanged"] = m => LocalTime(m.WhenChangedUtc),
        ["WhenCreated"] = m => LocalTime(m.WhenCreatedUtc),
        ["WhenChangedUTC"] = m => UtcTime(m.WhenChangedUtc),
        ["WhenCreatedUTC"] = m => UtcTime(m.WhenCreatedUtc),
        ["ExchangeObjectId"] = m => m.Guid,
        ["OrganizationId"] = m => m.Tenant.OrganizationId,
        ["Guid"] = m => m.Guid,
    };

    /// <summary>Names of every property this table maps, for checking against the schema.</summary>
    public static IEnumerable<string> MappedNames => Accessors.Keys;

    /// <summary>
    /// The accessor of a Mailbox entity property: what an admin stored (Set-Mailbox) wins over what the seed derives;
    /// unmapped properties read as null.
    /// </summary>
    public static Func<Mailbox, PropertyValue> Get(string propertyName)
    {
        var derived = Accessors.TryGetValue(propertyName, out var accessor) ? accessor : NullAccessor;
        return m => !m.Stored.IsEmpty && m.Stored.TryGet(propertyName, out var stored) ? stored : derived(m);
    }

    /// <summary>Dates as the service renders a server-local (UTC) DateTime: ISO 8601 with offset.</summary>
    public static string LocalTime(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    public static string UtcTime(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static bool IsShared(Mailbox m) => m.RecipientTypeDetails == RecipientTypes.SharedMailbox;

    /// <summary>Only user mailboxes carry a licence; shared and resource mailboxes get the 50 GB defaults.</summary>
    private static bool IsLicensed(Mailbox m) => m.RecipientTypeDetails == RecipientTypes.UserMailbox;

    private static string[] MailboxLocations(Mailbox m)
    {
        var primary = $"1;{m.ExchangeGuid};Primary;{m.Tenant.Domain};{m.Database.Guid}";
        return m.Archive is { } archive
            ? [primary, $"1;{archive.ArchiveGuid};MainArchive;{m.Tenant.Domain};{archive.Database.Guid}"]
            : [primary];
    }

    private static string SamAccountName(Guid guid)
    {
        var hex = guid.ToString("N").ToUpperInvariant();
        return $"${hex[..6]}-{hex[6..18]}";
    }
}

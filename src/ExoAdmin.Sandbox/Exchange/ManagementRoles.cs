using ExoAdmin.Sandbox.Catalogue;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// Exchange RBAC as the sandbox models it: each tenant's app is assigned one role (--role DOMAIN=ROLE, default
/// Organization Management). The token proves who the app is (its Exchange.ManageAsApp role); the assignment
/// decides which cmdlets, and which of their parameters, it may run: InvokeCommand refuses the rest, and the
/// EXOModuleFile it is served declares only what it may run, as the real service builds each caller's file.
/// </summary>
internal static class ManagementRoles
{
    /// <summary>Every cmdlet with every parameter.</summary>
    public const string OrganizationManagement = "OrganizationManagement";

    /// <summary>Reads everything, changes nothing (View-Only Organization Management).</summary>
    public const string HelpDesk = "HelpDesk";

    /// <summary>
    /// Exchange's Recipient Management role group: every cmdlet on recipients and what hangs off them (mailboxes,
    /// mail users and contacts, groups and members, permissions, auto-replies, client access, inbox rules, moves),
    /// but not the Legal Hold role's parameters (litigation hold and its retention comment and URL).
    /// </summary>
    public const string RecipientManagement = "RecipientManagement";

    public static IReadOnlyList<string> Names { get; } = [OrganizationManagement, HelpDesk, RecipientManagement];

    /// <summary>Verbs of cmdlets that only read: every other verb changes state.</summary>
    private static readonly HashSet<string> ReadVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "Get", "Test", "Search", "Export", "Preview", "Validate", "Check",
    };

    private static readonly HashSet<string> RecipientNouns = new(StringComparer.OrdinalIgnoreCase)
    {
        "Mailbox", "MailUser", "MailContact", "Contact", "User", "Recipient", "Group", "SecurityPrincipal",
        "CASMailbox", "DistributionGroup", "DistributionGroupMember", "DynamicDistributionGroup", "DynamicDistributionGroupMember",
        "UnifiedGroup", "UnifiedGroupLinks", "MailboxPermission", "RecipientPermission", "MailboxFolderPermission",
        "MailboxAutoReplyConfiguration", "InboxRule", "MailboxRegionalConfiguration", "MailboxCalendarConfiguration",
        "MailboxJunkEmailConfiguration", "MailboxMessageConfiguration", "CalendarProcessing", "Clutter", "FocusedInbox",
        "MailboxStatistics", "MailboxFolderStatistics", "MailboxFolder", "MobileDevice", "MobileDeviceStatistics",
        "MoveRequest", "MoveRequestStatistics", "MigrationBatch", "MigrationUser", "MigrationUserStatistics",
        "MailboxImportRequest", "MailboxRestoreRequest", "SoftDeletedMailbox", "RecoverableItems", "MessageTrackingReport",
    };

    public static string? Find(string name) => Names.FirstOrDefault(n => n.Equals(name.Replace(" ", string.Empty), StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether running the cmdlet changes state: what RBAC, the module file, ShouldProcess and the audit log agree on.</summary>
    public static bool ChangesState(string cmdlet) => !ReadVerbs.Contains(cmdlet[..Math.Max(cmdlet.IndexOf('-'), 0)]);

    /// <summary>
    /// The cmdlet as the role may run it: null when the role has no entry for it, else with only the parameters
    /// the role grants (what its module file declares and InvokeCommand binds).
    /// </summary>
    public static CatalogueCmdlet? Grant(string role, CatalogueCmdlet cmdlet) => role switch
    {
        OrganizationManagement => cmdlet,
        HelpDesk => ChangesState(cmdlet.Name) ? null : cmdlet,
        RecipientManagement when RecipientNouns.Contains(cmdlet.Noun) =>
            cmdlet with { Parameters = cmdlet.Parameters.Where(p => !IsLegalHoldParameter(p.Name)).ToArray() },
        _ => null,
    };

    /// <summary>Parameters of the Legal Hold role: litigation hold, and the retention comment and URL users see with it.</summary>
    private static bool IsLegalHoldParameter(string name) =>
        name.Contains("LitigationHold", StringComparison.OrdinalIgnoreCase)
        || name.Equals("RetentionComment", StringComparison.OrdinalIgnoreCase)
        || name.Equals("RetentionUrl", StringComparison.OrdinalIgnoreCase);
}

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>
/// What a classic cmdlet's objects are typed as on a client of the real service, and the columns of their default
/// table view. Microsoft's module turns CLIXML back into objects, so scripts and format files see the deserialized
/// Exchange type names; the served module puts the same names on the JSON objects it reads, and its format file
/// gives them Exchange's views. svc-client's table for ExoAdmin's own classic objects uses the same names.
/// </summary>
/// <param name="ExchangeType">The server-side .NET type; clients see it as "Deserialized." + this.</param>
/// <param name="Columns">The default view's columns; a list view when <paramref name="List"/>.</param>
internal sealed record ModuleOutputType(string ExchangeType, string[] Columns, bool List = false)
{
    public string DeserializedName => "Deserialized." + ExchangeType;
}

internal static class ModuleOutputTypes
{
    private const string DirectoryManagement = "Microsoft.Exchange.Data.Directory.Management.";
    private const string RecipientTasks = "Microsoft.Exchange.Management.RecipientTasks.";

    private static readonly ModuleOutputType ReducedRecipient = new(DirectoryManagement + "ReducedRecipient", ["Name", "RecipientType"]);

    /// <summary>
    /// By the cmdlet's noun, whatever the verb (New-MailUser returns what Get-MailUser does). Where each name comes
    /// from: Mailbox, ReducedRecipient, DistributionGroup, CASMailbox, MailboxAcePresentationObject, InboxRule and
    /// MailboxFolderPermission are the names public scripts match against the real service's objects
    /// (Deserialized.…); User, MailUser, MailContact, OrganizationConfig follow the same Directory.Management
    /// namespace as Mailbox; RecipientPermission (an Exchange Online-only task), MailboxAutoReplyConfiguration
    /// (Exchange 2010's OOF type) and the compliance policy are the server types Exchange's own documentation
    /// and type data name. Columns are those Exchange Online prints for a bare Get- of the noun.
    /// </summary>
    private static readonly Dictionary<string, ModuleOutputType> ByNoun = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Mailbox"] = new(DirectoryManagement + "Mailbox", ["Name", "Alias", "Database", "ProhibitSendQuota", "ExternalDirectoryObjectId"]),
        ["CASMailbox"] = new(DirectoryManagement + "CASMailbox", ["Name", "ActiveSyncEnabled", "OWAEnabled", "PopEnabled", "ImapEnabled", "MapiEnabled", "SmtpClientAuthenticationDisabled"]),
        ["Recipient"] = ReducedRecipient,
        ["DistributionGroupMember"] = ReducedRecipient,
        ["DistributionGroup"] = new(DirectoryManagement + "DistributionGroup", ["Name", "DisplayName", "GroupType", "PrimarySmtpAddress"]),
        ["User"] = new(DirectoryManagement + "User", ["Name", "RecipientType"]),
        ["MailUser"] = new(DirectoryManagement + "MailUser", ["Name", "RecipientType"]),
        ["MailContact"] = new(DirectoryManagement + "MailContact", ["Name", "Alias", "RecipientType"]),
        ["OrganizationConfig"] = new(DirectoryManagement + "OrganizationConfig", ["Name", "DisplayName", "IsDehydrated"], List: true),
        ["MailboxPermission"] = new(RecipientTasks + "MailboxAcePresentationObject", ["Identity", "User", "AccessRights", "IsInherited", "Deny"]),
        ["RecipientPermission"] = new(RecipientTasks + "RecipientPermission", ["Identity", "Trustee", "AccessControlType", "AccessRights", "Inherited"]),
        ["MailboxAutoReplyConfiguration"] = new("Microsoft.Exchange.InfoWorker.Common.OOF.MailboxAutoReplyConfiguration",
            ["Identity", "AutoReplyState", "StartTime", "EndTime", "ExternalAudience", "InternalMessage", "ExternalMessage"], List: true),
        ["InboxRule"] = new("Microsoft.Exchange.Management.Common.InboxRule", ["Name", "Enabled", "Priority", "RuleIdentity"]),
        ["MailboxFolderPermission"] = new("Microsoft.Exchange.Management.StoreTasks.MailboxFolderPermission", ["FolderName", "User", "AccessRights", "SharingPermissionFlags"]),
        ["RetentionCompliancePolicy"] = new("Microsoft.Office.CompliancePolicy.Tasks.PsRetentionCompliancePolicy", ["Name", "Workload", "Enabled", "Mode"]),
    };

    /// <summary>The output type of a cmdlet, or null when its objects stay untyped.</summary>
    public static ModuleOutputType? For(string cmdletName) => ByNoun.GetValueOrDefault(cmdletName[(cmdletName.IndexOf('-') + 1)..]);
}
